"""The task-code prompt shared by fine-tuning and scoring (`--prompt-format tabletop`).

An instruction is "name: description" (a library dataset's `instruction` column); the model
sees the API reference (rendered from the code) as the system turn and answers with the task
file in a fenced block. Same interface as `taskprompt.TaskPrompt`, so `finetune` and `score`
take it unchanged; no retrieval examples, so the prompt does not depend on a library's state.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ...llm.chat import render_prompt
from ...llm.types import ChatRequest
from .reference import api_reference

SYSTEM = ("You design tabletop manipulation tasks for a robot simulator and write them as Python code "
          "against this API.\n\n")
FENCE_RE = re.compile(r"```(?:python|py)?[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL)


def extract_task_code(text: str) -> str:
    """The task file in an answer: the first fenced block holding a class, else the whole answer."""
    blocks = FENCE_RE.findall(text)
    body = next((b for b in blocks if "class " in b), blocks[0] if blocks else text)
    return body.strip("\n") + "\n"


def split_instruction(instruction: str) -> tuple[str, str]:
    name, sep, description = instruction.partition(": ")
    return (name.strip(), description.strip()) if sep else ("task", instruction.strip())


@dataclass(frozen=True)
class TabletopPrompt:
    format: str = "tabletop"
    completion_style: bool = False

    def messages(self, instruction: str) -> list[dict]:
        name, description = split_instruction(instruction)
        user = (f"Write the complete task file for this task.\nName: {name}\nDescription: {description}\n"
                f"Answer with the file in one ```python block.")
        return [{"role": "system", "content": SYSTEM + api_reference()}, {"role": "user", "content": user}]

    def identity(self) -> dict:
        return {"format": self.format, "system": hashlib.sha256(api_reference().encode()).hexdigest()[:12]}

    def request(self, instruction: str, **sampling: Any) -> ChatRequest:
        sampling.setdefault("max_tokens", 1400)
        return ChatRequest(messages=tuple(self.messages(instruction)), **sampling)

    def prompt_text(self, tokenizer, instruction: str) -> str:
        return render_prompt(tokenizer, self.messages(instruction))

    def target_text(self, program: str) -> str:
        return f"```python\n{program.rstrip()}\n```"

    def program(self, answer: str) -> str:
        return extract_task_code(answer)
