"""Backends by name, imported only when chosen.

`get_backend("openai", ...)` never imports llama.cpp; `get_backend("local", ...)` imports
xllamacpp only when its server starts. A third-party backend registers with
`register_backend("name", "package.module:Class")` — a string, so registering is free.
"""

from __future__ import annotations

import importlib
import importlib.util

from .types import Backend, LLMError

_BACKENDS: dict[str, dict] = {
    "openai": {
        "target": "roboinstruct.llm.openai_backend:OpenAIBackend",
        "requires": ("httpx",),
        "help": "any OpenAI-compatible server: vLLM, llama.cpp server, Ollama, hosted APIs",
    },
    "local": {
        "target": "roboinstruct.llm.local_backend:LocalBackend",
        "requires": ("httpx", "xllamacpp"),
        "help": "embedded llama.cpp (xllamacpp) running a GGUF in-process; no server, no network",
    },
}


def register_backend(name: str, target: str, requires: tuple[str, ...] = (), help: str = "") -> None:
    if ":" not in target:
        raise LLMError(f"backend target must be 'module:Class', got {target!r}")
    _BACKENDS[name] = {"target": target, "requires": tuple(requires), "help": help}


def backend_names() -> list[str]:
    return list(_BACKENDS)


def backend_info(name: str) -> dict:
    """Name, help and which of its required modules are missing (without importing them)."""
    entry = _entry(name)
    missing = [m for m in entry["requires"] if importlib.util.find_spec(m) is None]
    return {"name": name, "help": entry["help"], "missing": missing}


def _entry(name: str) -> dict:
    try:
        return _BACKENDS[name]
    except KeyError:
        raise LLMError(f"unknown backend {name!r}: use one of {', '.join(_BACKENDS)}") from None


def get_backend(name: str, **cfg) -> Backend:
    """Build the named backend; `cfg` goes to its constructor (model=, base_url=, no_cache=, …)."""
    entry = _entry(name)
    module_name, _, cls_name = entry["target"].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise LLMError(f"backend {name!r} needs {e.name or 'a missing module'}: pip install 'roboinstruct[local]'") from None
    cls = getattr(module, cls_name)
    try:
        return cls(**cfg)
    except TypeError as e:  # a misspelt option: say which, in one line
        raise LLMError(f"backend {name!r}: {e}") from None
