"""The registries a domain kind plugs into, by name, as `llm.registry`'s backends do: the jobs
(`score`, `finetune`) and `taskprompt` look a kind up here and never name one.

- prompt formats: `register_prompt_format("tabletop", "module:Class", datasets=("gensim",), max_len=3072)`
  — a class with the `taskprompt.TaskPrompt` interface (messages, request, prompt_text, target_text,
  program, identity); `datasets`: the dataset kinds (a manifest's `kind`) it is the native format of,
  `max_len`: the training length its prompts need by default.
- suites: `register_suite("tabletop", "module:Class")` — what `--tasks PREFIX:...` names. The class
  is built once from the spec (`Class(spec)`: parsed once) and has `tasks` (name -> task with
  `.prompts`), `prompt_format` (the format its answers must be in, or None), `check_model(model)`
  and `evaluate(rows, workers, on_result)`. A spec with no registered prefix is the program
  domain's (`builtin`, `roboeval:PATH`, a folder of YAML tasks).

Targets are strings, so registering imports nothing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from ..errors import UserError


@dataclass(frozen=True)
class PromptKind:
    name: str
    target: str
    datasets: tuple = ()
    max_len: int | None = None


_PROMPT_FORMATS: dict[str, PromptKind] = {
    "tabletop": PromptKind("tabletop", "roboinstruct.tabletop.prompt.format:TabletopPrompt", ("gensim",), 3072),
}
_SUITES: dict[str, str] = {
    "tabletop": "roboinstruct.tabletop.tasks.heldout:HeldoutSuite",
}
PROGRAM_SUITE = "roboinstruct.benchmark.kind:ProgramSuite"


def _load(target: str):
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def register_prompt_format(name: str, target: str, datasets: tuple = (), max_len: int | None = None) -> None:
    if ":" not in target:
        raise UserError(f"prompt format target must be 'module:Class', got {target!r}")
    _PROMPT_FORMATS[name] = PromptKind(name, target, tuple(datasets), max_len)


def prompt_format_names() -> tuple[str, ...]:
    return tuple(_PROMPT_FORMATS)


def prompt_format(name: str):
    """The registered prompt class called `name`, or None (a built-in program format)."""
    kind = _PROMPT_FORMATS.get(name)
    return _load(kind.target) if kind else None


def native_prompt_format(dataset_kind: str | None) -> PromptKind | None:
    """The prompt format a dataset of this kind (its manifest's `kind`) is trained in, if registered."""
    return next((k for k in _PROMPT_FORMATS.values() if dataset_kind and dataset_kind in k.datasets), None)


def register_suite(prefix: str, target: str) -> None:
    if ":" not in target:
        raise UserError(f"suite target must be 'module:Class', got {target!r}")
    _SUITES[prefix] = target


def suite_kind(spec: str | None) -> str | None:
    """The registered prefix of a `--tasks` spec, or None (the program domain's suites)."""
    prefix, sep, _ = (spec or "").partition(":")
    return prefix if sep and prefix in _SUITES else None


def suite_class(spec: str | None):
    """The class of the suite `spec` names (its `prompt_format` is known before loading it)."""
    kind = suite_kind(spec)
    return _load(_SUITES[kind] if kind else PROGRAM_SUITE)


def open_suite(spec: str):
    """The suite `spec` names, loaded once."""
    return suite_class(spec)(spec)
