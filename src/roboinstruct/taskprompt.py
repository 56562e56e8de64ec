"""The task prompt: the one instruction → program format that generation, fine-tuning and
scoring share, so a model is trained on exactly what it is later asked.

- `program_messages` / `program_request`: the chat prompt (system: the domain's API from
  `Domain.api_prompt()`, never retyped; optional few-shot turns; user: the instruction).
- `render_prompt`: those messages as the text a model continues (its chat template, or a
  plain sectioned layout for a base model without one) — training and transformers scoring.
- `completion_text`: the answer shape the prompt asks for (a fenced program);
  `extract_program` (RoboSim's intake) is its inverse, used on every model answer.
- `TaskPrompt`: one of the formats a model is scored and trained in — `chat` (zero-shot,
  the above), `fewshot` (the domain's seed pairs as earlier turns: any robot API), or
  `roboeval` (RoboEval's own completion prefix/suffix files, unchanged, from a checkout).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from .core.kinds import prompt_format, prompt_format_names, suite_class, suite_kind
from .errors import LLMError, UserError
from .llm.chat import render_prompt
from .llm.types import ChatRequest, CompletionRequest
from .robosim.intake import Extraction, extract_program
from .templates import renderer

PROMPTS_DIR = Path(__file__).parent / "prompts"
render = renderer(PROMPTS_DIR)  # a template of the task prompt's folder

__all__ = ["FORMATS", "Extraction", "TaskPrompt", "completion_text", "extract_program", "program_messages",
           "program_request", "build_task_prompt", "render", "render_prompt", "roboeval_prompt_files"]
# the program formats, then those domain kinds registered (core.kinds: "tabletop", task files)
FORMATS = ("chat", "fewshot", "roboeval", "stubs") + prompt_format_names()
# stubs: RoboEval's completion layout (API stubs, "# Instruction:" comments, `def task_program():`) rendered
# from the domain's own API and seed pairs — what a model trains in, since RoboEval's files may not be
STUB_EXAMPLES = 3
ENTRY = "def task_program():\n"
# RoboEval's completion prompt ends with the instruction as a comment and the entry's def line;
# the model writes the body, and a line back at column 0 ends the function.
ROBOEVAL_SUFFIX = "\n" + ENTRY
# RoboEval's stop sequences, as the Robo-Instruct paper scores every model (its `llm_generation_utils`).
ROBOEVAL_STOPS = ("\n#", "\ndef", "```", "import")


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


def completion_text(program: str) -> str:
    """The answer shape the prompt asks for (and `extract_program` reads)."""
    return f"```python\n{program.strip()}\n```"


def roboeval_prompt_files(path: str | Path) -> tuple[str, str, Path]:
    """(prefix, suffix, where) from a RoboEval checkout (ut-amrl/codebotler or robo-instruct),
    or a folder holding prompt_prefix.py; the files are used as they are, byte for byte."""
    root = Path(str(path).removeprefix("roboeval:")).expanduser()
    # PATH may be the checkout, its tasks folder (as in --tasks roboeval:PATH) or the prompt folder
    bases = [root, *list(root.parents)[:4]]
    for folder in [b / sub for b in bases for sub in ("", "code_generation", "roboeval/code_generation")]:
        prefix = folder / "prompt_prefix.py"
        if prefix.is_file():
            suffix = folder / "prompt_suffix.py"
            return (prefix.read_text(encoding="utf-8"),
                    suffix.read_text(encoding="utf-8") if suffix.is_file() else ROBOEVAL_SUFFIX, folder)
    raise UserError(f"{root}: no RoboEval prompt files (code_generation/prompt_prefix.py) in this checkout; "
                    f"pass --prompt-files DIR of a ut-amrl/codebotler or ut-amrl/robo-instruct checkout")


def _function_body(text: str) -> str:
    """The model's continuation up to the first line back at column 0 (it left the function)."""
    m = re.search(r"\n(?=[^\s])", text)
    return text[: m.start()] if m else text


@dataclass(frozen=True)
class TaskPrompt:
    """One format for asking a model for a program, training it, and reading its answer."""

    format: str = "chat"
    domain: Any = None
    examples: tuple[tuple[str, str], ...] = ()  # fewshot: (instruction, program) turns
    prefix: str = ""  # roboeval: the checkout's completion prefix, unchanged
    suffix: str = ROBOEVAL_SUFFIX

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise UserError(f"--prompt-format {self.format!r} is not one of {', '.join(FORMATS)}")
        if self.format in ("roboeval", "stubs") and not self.prefix:
            raise UserError("--prompt-format roboeval needs RoboEval's prompt files (--prompt-files DIR)")

    @property
    def completion_style(self) -> bool:
        return self.format in ("roboeval", "stubs")

    def identity(self) -> dict:
        """What a score's fingerprint records about the prompt (the files by hash)."""
        out: dict = {"format": self.format}
        if self.examples:
            out["examples"] = hashlib.sha256(repr(self.examples).encode()).hexdigest()[:12]
        if self.completion_style:
            out["prefix"] = hashlib.sha256((self.prefix + "\0" + self.suffix).encode()).hexdigest()[:12]
        return out

    def text(self, instruction: str) -> str:
        """The completion prompt (roboeval): prefix, the instruction, suffix."""
        return self.prefix + " ".join(instruction.split()) + self.suffix

    def request(self, instruction: str, **sampling: Any):
        if self.completion_style:
            sampling.setdefault("max_tokens", 512)
            return CompletionRequest(prompt=self.text(instruction), stop=ROBOEVAL_STOPS, **sampling)
        return program_request(instruction, self.domain, self.examples, **sampling)

    def prompt_text(self, tokenizer, instruction: str) -> str:
        """The text a model continues, for training and transformers scoring."""
        if self.completion_style:
            return self.text(instruction)
        return render_prompt(tokenizer, program_messages(instruction, self.domain, self.examples))

    @property
    def _ends_with_header(self) -> bool:
        # RoboEval's own prompt_suffix.py ends with "def task_program():" and no newline
        return self.suffix.rstrip(" \n").endswith(ENTRY.rstrip())

    def target_text(self, program: str) -> str:
        """What the model learns to write after `prompt_text` (EOS is added by the trainer)."""
        if not self.completion_style:
            return completion_text(program)
        head, sep, body = program.partition(ENTRY)
        body = (body if sep else program).rstrip() + "\n"
        return body if self.suffix.endswith("\n") or not self._ends_with_header else "\n" + body

    def program(self, answer: str) -> str:
        """The program to evaluate from a model's answer: cut at RoboEval's stops (a backend may
        ignore them) and where the model leaves the function, the header the prompt ended with
        put back — the model wrote only the body."""
        if not self.completion_style:
            return answer
        cut = min((i for i in (answer.find(s) for s in ROBOEVAL_STOPS) if i >= 0), default=len(answer))
        body = _function_body(answer[:cut])
        if not self._ends_with_header:
            return body
        return ENTRY + body.lstrip("\n") if self.suffix.endswith("\n") or body.startswith("\n") \
            else ENTRY.rstrip() + body


FEWSHOT_EXAMPLES = 6  # as many worked examples as RoboEval's own prompt shows


def build_task_prompt(fmt: str = "chat", prompt_files: str | None = None, tasks: str | None = None,
                      domain=None, examples: str | None = None, shots: int = 3) -> "TaskPrompt":
    """The format a score or a fine-tune names, with its examples or files loaded.
    `roboeval` reads the files from `prompt_files`, else from a `roboeval:PATH` task spec;
    `examples` (a domain kind's own formats only: a dataset to retrieve `shots` examples from)."""
    if suite_kind(tasks):  # a domain kind's suite answers in its own format, whatever was asked
        fmt = suite_class(tasks).prompt_format or fmt
    registered = prompt_format(fmt)  # a domain kind's own format (core.kinds), e.g. task files
    if registered is not None:
        return registered(examples=examples, shots=shots) if examples else registered()
    if examples:
        raise UserError(f"--examples: the {fmt!r} prompt format takes no retrieved examples (a tabletop suite does; "
                        f"robot programs: --prompt-format fewshot shows the domain's seed pairs)")
    dom = _domain(domain)
    if fmt == "fewshot":
        from .seedtasks import load_seeds

        seeds = load_seeds(None, dom.name)[:FEWSHOT_EXAMPLES]
        return TaskPrompt("fewshot", dom, tuple((s.instruction, s.program) for s in seeds))
    if fmt == "stubs":
        from .seedtasks import load_seeds

        seeds = load_seeds(None, dom.name)[:STUB_EXAMPLES]
        prefix = render("stubs_prefix.j2", domain=dom, examples=[(s.instruction, s.program.rstrip()) for s in seeds])
        prefix = prefix.rstrip("\n") + "\n\n# Instruction: "  # the instruction, then "\ndef task_program():"
        return TaskPrompt("stubs", dom, prefix=prefix, suffix=ROBOEVAL_SUFFIX.rstrip("\n"))
    if fmt == "roboeval":
        where = prompt_files or (tasks if tasks and tasks.startswith("roboeval:") else None)
        if where is None:
            raise UserError("--prompt-format roboeval: give --prompt-files CHECKOUT (or --tasks roboeval:PATH)")
        prefix, suffix, _ = roboeval_prompt_files(where)
        return TaskPrompt("roboeval", dom, prefix=prefix, suffix=suffix)
    return TaskPrompt(fmt, dom)
