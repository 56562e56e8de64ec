"""Prompt templates: jinja2 files kept beside the code that uses them (`prompts/` folders).

One strict environment per folder (StrictUndefined: a missing variable is an error, never a
silently empty prompt; no autoescape: prompts are plain text, not HTML).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import LLMError


@lru_cache(maxsize=16)
def template_env(directory: str):
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(directory), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=False, autoescape=False)


def render_template(directory: str | Path, name: str, **ctx: Any) -> str:
    """Render `directory/name` (stripped); a missing template or variable is one LLMError line."""
    import jinja2

    try:
        return template_env(str(directory)).get_template(name).render(**ctx).strip()
    except jinja2.TemplateNotFound:
        raise LLMError(f"prompt template {name!r} not found in {directory}") from None
    except jinja2.UndefinedError as e:
        raise LLMError(f"prompt template {name!r}: {e}") from None


def renderer(directory: str | Path):
    """`render(name, **ctx)` bound to one prompt folder (a module's `prompts/` beside it)."""
    return lambda name, **ctx: render_template(directory, name, **ctx)
