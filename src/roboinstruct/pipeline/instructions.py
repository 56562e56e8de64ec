"""Stage 1: new instructions, by Self-Instruct (few-shot chat) or Evol-Instruct (rewrites).

Self-Instruct: the domain's API in the system turn, then seed instructions as earlier
assistant answers to "Generate an interesting robot task...", then the same question again.
Once enough machine-written instructions exist, some shots come from them (the paper's mix).
Evol-Instruct: one of four rewrite operators applied to a sampled instruction.
Every request is seeded from (run seed, round, index): reproducible, cacheable, resumable.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Sequence

from ..domain import Domain
from ..templates import renderer

render = renderer(Path(__file__).parent / "prompts")

EVOL_OPERATORS = {
    "add-constraint": "Add one more constraint or requirement to the task, about 10 to 20 extra words.",
    "concretize": "Replace a general requirement in the task with a less common and more specific one.",
    "add-reasoning": "If the task can be solved with a few simple steps, rewrite it to explicitly require more reasoning steps.",
    "complexity": "Make the task require more time or more places to visit, without making it unreasonable.",
}
# The paper raises time/space complexity rarely: weights of the operators.
EVOL_WEIGHTS = {"add-constraint": 3, "concretize": 3, "add-reasoning": 3, "complexity": 1}

_PREFIX = re.compile(r"^\s*(?:\*\*)?(?:new |rewritten |robot |generated )?(?:task|instruction)(?: \d+)?\s*[:\-]\s*(?:\*\*)?\s*", re.I)


def request_rng(seed: int, round_: int, index: int, salt: str = "") -> random.Random:
    return random.Random(f"{seed}/{salt}/{round_}/{index}")


def system_prompt(domain: Domain, prompts: int = 1) -> str:
    if prompts >= 3:  # what the robot can and cannot do, from the domain's quality words
        vocab = domain.vocabulary
        return render("instruction_system_v3.j2", domain_name=domain.name, description=domain.description,
                      api=domain.api_prompt().strip(), can=vocab.can, cannot=vocab.cannot[:24],
                      outside=vocab.outside[:8])
    return render("instruction_system.j2", domain_name=domain.name, description=domain.description,
                  api=domain.api_prompt().strip())


def self_instruct_messages(domain: Domain, shots: Sequence[str], count: int = 1, prompts: int = 1) -> list[dict]:
    """The system prompt, the shots as earlier answers, then the question — for `count` > 1,
    for that many new tasks at once, as a JSON list (Self-Instruct's own many-per-prompt).

    `prompts` 2 (with `count` > 1): the shots are listed in the question as tasks not to repeat.
    Shown as earlier answers, they were copied back verbatim (20 kept of 48 asked, 26 near-copies
    of a shot), and the per-request part now comes after the byte-identical system prompt."""
    if count > 1 and prompts >= 2:
        ask_many = "instruction_ask_many_v3.j2" if prompts >= 3 else "instruction_ask_many_v2.j2"
        return [{"role": "system", "content": system_prompt(domain, prompts)},
                {"role": "user", "content": render(ask_many, shots=shots, n=count)}]
    ask = render("instruction_ask.j2")
    messages = [{"role": "system", "content": system_prompt(domain)}]
    for shot in shots:
        messages += [{"role": "user", "content": ask}, {"role": "assistant", "content": shot}]
    messages.append({"role": "user", "content": ask if count == 1 else render("instruction_ask_many.j2", n=count)})
    return messages


def tasks_schema(count: int) -> dict:
    return {"type": "object", "properties": {"tasks": {
        "type": "array", "minItems": count, "maxItems": count,
        "items": {"type": "string", "minLength": 15, "maxLength": 400}}},
        "required": ["tasks"], "additionalProperties": False}


def parse_instructions(text: str, count: int) -> list[str | None]:
    """`count` instructions from one answer (None where one is missing or unusable)."""
    if count == 1:
        return [parse_instruction(text)]
    tasks: list = []
    start, end = (text or "").find("{"), (text or "").rfind("}")
    if 0 <= start < end:
        try:
            found = json.loads(text[start:end + 1]).get("tasks")
            tasks = found if isinstance(found, list) else []
        except (ValueError, AttributeError):
            tasks = []
    if not tasks:  # a server without structured output: one task per line or paragraph
        tasks = [t for t in re.split(r"\n+", text or "") if t.strip()]
    out = [parse_instruction(t) if isinstance(t, str) else None for t in tasks[:count]]
    return out + [None] * (count - len(out))


def pick_shots(rng: random.Random, seeds: Sequence[str], machine: Sequence[str], shots: int,
               machine_shots: int) -> list[str]:
    """`shots` examples: mostly seeds, plus `machine_shots` machine-written ones when available."""
    n_machine = min(machine_shots, len(machine), shots - 1) if len(machine) >= shots else 0
    chosen = rng.sample(list(seeds), min(len(seeds), shots - n_machine))
    chosen += rng.sample(list(machine), n_machine)
    rng.shuffle(chosen)
    return chosen


def evol_messages(domain: Domain, instruction: str, operator: str) -> list[dict]:
    return [{"role": "system", "content": system_prompt(domain)},
            {"role": "user", "content": render("evol.j2", operator=EVOL_OPERATORS[operator], instruction=instruction)}]


def pick_operator(rng: random.Random) -> str:
    ops = list(EVOL_WEIGHTS)
    return rng.choices(ops, weights=[EVOL_WEIGHTS[o] for o in ops])[0]


def parse_instruction(text: str) -> str | None:
    """The task from a model's answer: first paragraph, without labels, quotes or code."""
    if not text:
        return None
    text = re.sub(r"```.*?(```|$)", " ", text, flags=re.S)
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in para.splitlines() if ln.strip()]
        if not lines:
            continue
        candidate = " ".join(lines)
        candidate = _PREFIX.sub("", candidate)
        candidate = re.sub(r"^\s*(?:\d+[.)]|[-*•])\s+", "", candidate)
        candidate = candidate.strip().strip('"“”\'').strip()
        if re.match(r"^(sure|here|okay|ok|certainly)\b", candidate, re.I) and candidate.endswith(":"):
            continue  # "Sure, here is a task:" - the task is in the next paragraph
        words = candidate.split()
        if 3 <= len(words) <= 120:
            return " ".join(words)
    return None
