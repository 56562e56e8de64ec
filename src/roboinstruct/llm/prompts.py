"""Prompt templates (jinja2 files in `prompts/`), rendered from the domain declaration.

The API block comes from `Domain.api_prompt()`, never retyped here, so a user's own robot
API flows into every prompt unchanged. StrictUndefined turns a missing variable into an
error instead of a silently empty prompt.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from .types import ChatRequest, LLMError

PROMPTS_DIR = Path(__file__).parent / "prompts"


@lru_cache(maxsize=8)
def template_env(directory: str = str(PROMPTS_DIR)):
    """A strict jinja2 environment over one prompt directory (shared by every stage's prompts)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,  # prompts are plain text, not HTML
    )


def render(template: str, **ctx: Any) -> str:
    import jinja2

    try:
        return template_env().get_template(template).render(**ctx).strip()
    except jinja2.TemplateNotFound:
        raise LLMError(f"prompt template {template!r} not found in {PROMPTS_DIR}") from None
    except jinja2.UndefinedError as e:
        raise LLMError(f"prompt template {template!r}: {e}") from None


def _domain(domain):
    if domain is None or isinstance(domain, str):
        from roboinstruct.domain import load_domain

        return load_domain(domain)
    return domain


def program_messages(
    instruction: str, domain=None, examples: Iterable[tuple[str, str]] = ()
) -> list[dict]:
    """Chat messages asking for `def task_program():` that carries out `instruction`.

    `examples` are (instruction, program) pairs shown as earlier turns (few-shot): small
    models copy the shape of an answer far more reliably than they follow rules.
    """
    if not instruction or not instruction.strip():
        raise LLMError("the instruction is empty")
    dom = _domain(domain)
    system = render("program.j2", api=dom.api_prompt().strip(), domain_name=getattr(dom, "name", ""))
    messages = [{"role": "system", "content": system}]
    for ex_instruction, ex_program in examples:
        messages.append({"role": "user", "content": ex_instruction.strip()})
        messages.append({"role": "assistant", "content": f"```python\n{ex_program.strip()}\n```"})
    messages.append({"role": "user", "content": instruction.strip()})
    return messages


def program_request(
    instruction: str, domain=None, examples: Sequence[tuple[str, str]] = (), **sampling: Any
) -> ChatRequest:
    sampling.setdefault("max_tokens", 512)
    return ChatRequest(messages=program_messages(instruction, domain, examples), **sampling)
