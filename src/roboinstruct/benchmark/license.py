"""RoboEval's license (clause 4): its contents may not be used as training data. This module
reads what a checkout holds that a training example could copy — the task prompts, and the
prompt prefix's example instructions and programs — and finds examples too close to any of it
(token edit similarity, the same measure as dedup). Scoring with the files is allowed; the API
stubs describe the same functions as the domain's and may coincide, so they are not compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ..core.similarity import edit_similarity

THRESHOLD = 0.6  # dedup's threshold: closer than this is a reworded copy


@dataclass(frozen=True)
class Violation:
    example: str      # the training text (instruction or program) that is too close
    source: str       # what it copies: "task prompt NAME/i", "prefix example i", "prefix program i"
    similarity: float


def prefix_examples(prefix: str) -> list[tuple[str, str]]:
    """(instruction, program) pairs of a RoboEval prompt prefix: a comment, then its task_program."""
    out = []
    for m in re.finditer(r"^# (?!Instruction: \s*$)(.+)\n(def task_program\(\):\n(?:[ \t]+.*\n|\s*\n)*)", prefix, re.M):
        out.append((m.group(1).strip(), m.group(2).rstrip() + "\n"))
    return out


def protected_texts(checkout: str) -> list[tuple[str, str, str]]:
    """(kind, label, text) for every task prompt and prefix example in a RoboEval checkout."""
    from ..taskprompt import roboeval_prompt_files
    from .suite import load_tasks

    texts = []
    for name, task in load_tasks(f"roboeval:{checkout}").items():
        texts += [("instruction", f"task prompt {name}/{i}", p) for i, p in enumerate(task.prompts)]
    prefix, _, _ = roboeval_prompt_files(checkout)
    for i, (instruction, program) in enumerate(prefix_examples(prefix)):
        texts += [("instruction", f"prefix example {i}", instruction), ("program", f"prefix program {i}", program)]
    return texts


def license_violations(examples: Iterable[tuple[str, str]], checkout: str,
                       threshold: float = THRESHOLD) -> list[Violation]:
    """Every (instruction, program) example closer than `threshold` to a protected text."""
    protected = protected_texts(checkout)
    found = []
    for instruction, program in examples:
        for kind, label, text in protected:
            mine = instruction if kind == "instruction" else program
            sim = edit_similarity(mine, text)
            if sim > threshold:
                found.append(Violation(mine[:200], label, round(sim, 3)))
    return found
