"""The task prompt: the one instruction → program format that generation, fine-tuning and
scoring share, so a model is trained on exactly what it is later asked.

- `program_messages` / `program_request`: the chat prompt (system: the domain's API from
  `Domain.api_prompt()`, never retyped; optional few-shot turns; user: the instruction).
- `render_prompt`: those messages as the text a model continues (its chat template, or a
  plain sectioned layout for a base model without one) — training and transformers scoring.
- `completion_text`: the answer shape the prompt asks for (a fenced program);
  `extract_program` (RoboSim's intake) is its inverse, used on every model answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from .errors import LLMError
from .llm.types import ChatRequest
from .robosim.intake import Extraction, extract_program
from .templates import renderer

PROMPTS_DIR = Path(__file__).parent / "prompts"
render = renderer(PROMPTS_DIR)  # a template of the task prompt's folder

__all__ = ["Extraction", "completion_text", "extract_program", "program_messages", "program_request",
           "render", "render_prompt"]


def _domain(domain):
    if domain is None or isinstance(domain, str):
        from .domain import load_domain

        return load_domain(domain)
    return domain


def program_messages(instruction: str, domain=None, examples: Iterable[tuple[str, str]] = ()) -> list[dict]:
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
        messages.append({"role": "assistant", "content": completion_text(ex_program)})
    messages.append({"role": "user", "content": instruction.strip()})
    return messages


def program_request(instruction: str, domain=None, examples: Sequence[tuple[str, str]] = (),
                    **sampling: Any) -> ChatRequest:
    sampling.setdefault("max_tokens", 512)
    return ChatRequest(messages=program_messages(instruction, domain, examples), **sampling)


def render_prompt(tokenizer, messages: list[dict]) -> str:
    """The prompt text the model continues, ending where its answer starts.

    Uses the model's chat template when it has one (instruction-tuned models); a base
    model without one gets a plain sectioned layout, the same in training and scoring.
    """
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    parts = [f"### {m['role'].capitalize()}\n{m['content'].strip()}\n" for m in messages]
    return "\n".join(parts) + "\n### Assistant\n"


def completion_text(program: str) -> str:
    """The answer shape the prompt asks for (and `extract_program` reads)."""
    return f"```python\n{program.strip()}\n```"
