"""The task-code prompt shared by fine-tuning and scoring (`--prompt-format tabletop`).

An instruction is "name: description" (a library dataset's `instruction` column); the model
sees the API reference (rendered from the code) as the system turn and answers with the task
file in a fenced block. Same interface as `taskprompt.TaskPrompt`, so `finetune` and `score`
take it unchanged. Without `examples` (fine-tuning, and scoring a tuned model) the prompt does not
depend on a library's state; with `examples` (a task dataset, `tabletop dataset`'s dataset.jsonl:
GenSim's few-shot prompt baseline) the `shots` library tasks whose descriptions are closest to the
asked one (TF-IDF cosine over their words) come first as earlier turns, most similar last.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...llm.chat import render_prompt
from ...llm.types import ChatRequest
from ...errors import UserError
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


def _ask(instruction: str) -> str:
    name, description = split_instruction(instruction)
    return (f"Write the complete task file for this task.\nName: {name}\nDescription: {description}\n"
            f"Answer with the file in one ```python block.")


def _library(path: str) -> tuple[tuple[tuple[str, str], ...], str, object]:
    """A task dataset's (instruction, code) rows, its sha256, and TF-IDF vectors of their words
    (read once per file version)."""
    file = Path(path).expanduser()
    if file.is_dir():
        file = file / "dataset.jsonl"
    try:
        st = file.stat()
    except OSError as e:
        raise UserError(f"--examples {path}: cannot read it ({e.strerror}); build a task dataset with "
                        f"`roboinstruct tabletop dataset --gensim CHECKOUT --out DIR`") from None
    return _read_library(str(file), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=4)
def _read_library(file: str, _mtime_ns: int, _size: int) -> tuple:
    from ..tasks.content import Vectors, words

    try:
        raw = Path(file).read_bytes()
        rows = [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
        pairs = tuple((r["instruction"], r["program"]) for r in rows)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UserError(f"--examples {file}: not a task dataset with instruction and program columns ({e}); "
                        f"build one with `roboinstruct tabletop dataset --gensim CHECKOUT --out DIR`") from None
    if not pairs:
        raise UserError(f"--examples {file}: the dataset has no rows")
    return pairs, hashlib.sha256(raw).hexdigest(), Vectors({str(i): words(q) for i, (q, _) in enumerate(pairs)})


@dataclass(frozen=True)
class TabletopPrompt:
    format: str = "tabletop"
    completion_style: bool = False
    examples: str | None = None  # a task dataset to retrieve few-shot examples from (GenSim's prompt baseline)
    shots: int = 3

    @property
    def context_tokens(self) -> int:
        """Room a local model needs per request: the API reference and a task file, plus the examples —
        the `shots` longest of the library, at a generous 3 characters a token, so any retrieval fits."""
        if not self.examples or self.shots < 1:
            return 4096
        longest = sorted((len(q) + len(code) for q, code in _library(self.examples)[0]), reverse=True)[: self.shots]
        needed = 4096 + sum(longest) // 3 + 64 * len(longest)  # + each turn's template
        return -(-needed // 1024) * 1024

    def shown(self, instruction: str) -> list[tuple[str, str]]:
        """The library tasks shown before `instruction`: the `shots` nearest by description, nearest last."""
        if not self.examples or self.shots < 1:
            return []
        from ..tasks.content import words

        pairs, _, vectors = _library(self.examples)
        query = {t: c * vectors.idf[t] for t, c in Counter(words(instruction)).items() if t in vectors.idf}

        def similarity(i: int) -> float:
            row = vectors.vec[str(i)]
            return sum(w * row.get(t, 0.0) for t, w in query.items())

        nearest = sorted(range(len(pairs)), key=lambda i: (-similarity(i), i))[: self.shots]
        return [pairs[i] for i in reversed(nearest)]

    def messages(self, instruction: str) -> list[dict]:
        turns = [{"role": "system", "content": SYSTEM + api_reference()}]
        for q, code in self.shown(instruction):
            turns += [{"role": "user", "content": _ask(q)}, {"role": "assistant", "content": self.target_text(code)}]
        return turns + [{"role": "user", "content": _ask(instruction)}]

    def identity(self) -> dict:
        out = {"format": self.format, "system": hashlib.sha256(api_reference().encode()).hexdigest()[:12]}
        if self.examples:
            out.update(examples=_library(self.examples)[1][:16], shots=self.shots)
        return out

    def request(self, instruction: str, **sampling: Any) -> ChatRequest:
        sampling.setdefault("max_tokens", 1400)
        return ChatRequest(messages=tuple(self.messages(instruction)), **sampling)

    def prompt_text(self, tokenizer, instruction: str) -> str:
        return render_prompt(tokenizer, self.messages(instruction))

    def target_text(self, program: str) -> str:
        return f"```python\n{program.rstrip()}\n```"

    def program(self, answer: str) -> str:
        return extract_task_code(answer)
