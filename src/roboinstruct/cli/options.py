"""Flags generated from settings dataclasses, so a default is written once (in the class).

Every documented field (`settings.option(..., help=...)`) becomes `--field-name` with default
None, meaning "not given": the settings loader then applies defaults < YAML < CLI. A bool
field defaulting to False becomes a switch; one defaulting to True becomes `--no-NAME`.
"""

from __future__ import annotations

import argparse
import dataclasses
import typing
from typing import Iterable


def _flag(f: dataclasses.Field) -> str:
    if f.metadata.get("flag"):
        return f.metadata["flag"]
    return "--" + ("no-" if f.default is True else "") + f.name.replace("_", "-")


def _default_text(f: dataclasses.Field) -> str:
    if f.default is not dataclasses.MISSING:
        return "" if f.default in (None, False, True) else f" (default {f.default})"
    if f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return f" (default {f.default_factory()})"  # type: ignore[misc]
    return ""


def _base_type(hint) -> type:
    args = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
    t = typing.get_origin(args[0]) or args[0]
    return t


def add_settings_flags(parser: argparse.ArgumentParser, cls: type, only: Iterable[str] | None = None) -> list[str]:
    """Add a flag per documented field of `cls` (or of those named in `only`); return their names."""
    hints = typing.get_type_hints(cls)
    groups: dict[str, argparse._ArgumentGroup] = {}
    names = []
    wanted = set(only) if only is not None else None
    for f in dataclasses.fields(cls):
        help_text = f.metadata.get("help")
        if not help_text or (wanted is not None and f.name not in wanted):
            continue
        group_name = f.metadata.get("group")
        target = parser
        if group_name:
            if group_name not in groups:
                groups[group_name] = parser.add_argument_group(group_name)
            target = groups[group_name]
        kind = _base_type(hints[f.name])
        kw: dict = {"dest": f.name, "default": None, "help": help_text + _default_text(f)}
        if kind is bool:
            kw["action"] = "store_false" if f.default is True else "store_true"
        elif kind is list:
            kw.update(action="append", metavar=f.name.upper())
        else:
            kw.update(type=kind, metavar=f.name.upper() if not f.metadata.get("choices") else None)
            if f.metadata.get("choices"):
                kw["choices"] = f.metadata["choices"]
        if kw.get("metavar") is None:
            kw.pop("metavar", None)
        target.add_argument(_flag(f), **kw)
        names.append(f.name)
    return names


def given(args: argparse.Namespace, names: Iterable[str]) -> dict:
    """The flags among `names` that were given on the command line (None = not given)."""
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}
