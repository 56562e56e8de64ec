"""Prompt templates of the pipeline (jinja2 files in `prompts/` beside this module)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).parent / "prompts"


@lru_cache(maxsize=1)
def _env():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(PROMPTS_DIR)),
                              undefined=jinja2.StrictUndefined, autoescape=False)


def render(name: str, **ctx) -> str:
    return _env().get_template(name).render(**ctx).strip()
