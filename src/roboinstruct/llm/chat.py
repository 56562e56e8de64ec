"""Chat messages as the text a model continues (training and transformers scoring render
every prompt format, program or task, through this one function)."""

from __future__ import annotations


def render_prompt(tokenizer, messages: list[dict]) -> str:
    """The prompt text the model continues, ending where its answer starts.

    Uses the model's chat template when it has one (instruction-tuned models); a base
    model without one gets a plain sectioned layout, the same in training and scoring.
    """
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    parts = [f"### {m['role'].capitalize()}\n{m['content'].strip()}\n" for m in messages]
    return "\n".join(parts) + "\n### Assistant\n"
