"""Settings as dataclasses: defaults in the class, then a YAML file, then CLI flags.

A settings class declares each field once — type, default, and (in `field(metadata=...)`)
its help text, choices, flag name and group. `roboinstruct.cli.options` turns documented
fields into flags (TRL's `TrlParser` idea); `load_settings` merges defaults < YAML < CLI,
refuses unknown keys and wrong types with one line, and runs the class's `validate()`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .errors import UserError

T = TypeVar("T")


_NO_LEGACY = object()


def option(default: Any = None, help: str | None = None, *, factory=None, choices=None, flag: str | None = None,
           group: str | None = None, fingerprinted: bool = True, legacy: Any = _NO_LEGACY) -> Any:
    """A settings field. `help` makes it a CLI flag; `fingerprinted=False` marks settings that
    change how fast or where a run goes but not what it produces. `legacy`: the behaviour before
    this setting existed; at that value it is left out of the fingerprint, so runs made before
    it was added keep their fingerprints (and their directories resume)."""
    meta = {"help": help, "choices": choices, "flag": flag, "group": group, "fingerprinted": fingerprinted,
            "legacy": legacy}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def read_yaml_mapping(path: str | Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text()) or {}
    except OSError as e:
        raise UserError(f"cannot read config {path}: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise UserError(f"{path}: invalid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: a config file must be a YAML mapping of setting: value")
    return data


def _check_type(cls: type, name: str, value: Any, hints: dict, where: str) -> Any:
    """Coerce what YAML allows (an int for a float, a string for a one-item list); refuse the rest."""
    hint = hints[name]
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    args = set(typing.get_args(hint)) if union else {hint}
    if value is None and type(None) in args:
        return None
    for t in args:
        origin = typing.get_origin(t) or t
        if origin is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if origin is bool and isinstance(value, bool):
            return value
        if origin in (int, str) and isinstance(value, origin) and not isinstance(value, bool):
            return value
        if origin in (list, tuple):
            if isinstance(value, str):
                value = [value]
            if isinstance(value, (list, tuple)):
                return origin(value)
    wanted = " or ".join(getattr(t, "__name__", str(t)) for t in args)
    raise UserError(f"{where}: setting {name!r} must be {wanted}, got {type(value).__name__} {value!r:.60}")


def load_settings(cls: type[T], path: str | None = None, overrides: dict | None = None) -> T:
    """defaults < YAML file (optional) < overrides (None means 'not given'), then `validate()`."""
    data = read_yaml_mapping(path) if path else {}
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise UserError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    hints = typing.get_type_hints(cls)
    merged = {k: _check_type(cls, k, v, hints, str(path)) for k, v in data.items()}
    for k, v in (overrides or {}).items():
        if v is None:
            continue
        if k not in known:
            raise UserError(f"unknown setting {k!r}; known: {', '.join(sorted(known))}")
        merged[k] = _check_type(cls, k, v, hints, "command line")
    obj = cls(**merged)
    return obj.validate() if hasattr(obj, "validate") else obj


def fingerprinted(obj: Any) -> dict:
    """The settings that change what a run produces (fields not marked `fingerprinted=False`)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.metadata.get("fingerprinted", True)
            and getattr(obj, f.name) != f.metadata.get("legacy", _NO_LEGACY)}


@dataclasses.dataclass
class SandboxSettings:
    """How untrusted code is run, for every command that runs any (a flag on each of them)."""

    require_isolation: bool = option(
        False, "refuse to run untrusted code when the OS isolation of sandbox workers (bubblewrap namespaces, "
               "seccomp, uid nobody) is unavailable here, instead of warning once and running without it",
        fingerprinted=False)
