"""Prompt templates of the pipeline (jinja2 files in `prompts/` beside this module)."""

from __future__ import annotations

from pathlib import Path

from ..llm.prompts import template_env

PROMPTS_DIR = Path(__file__).parent / "prompts"


def render(name: str, **ctx) -> str:
    return template_env(str(PROMPTS_DIR)).get_template(name).render(**ctx).strip()
