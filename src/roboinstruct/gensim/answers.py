"""What the model answers, parsed strictly: JSON proposals, plans and critic verdicts (asked
for with a JSON schema where the backend supports it; never exec/eval), and task code.

Each parser returns the value or raises `AnswerError` with a one-line reason that becomes the
trial's recorded failure.
"""

from __future__ import annotations

import json
import re

from ..tabletop.prompt.format import extract_task_code

NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

PROPOSAL_SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "description": {"type": "string"},
                   "assets": {"type": "array", "items": {"type": "string"}}},
    "required": ["name", "description", "assets"],
}
PLAN_SCHEMA = {
    "type": "object",
    "properties": {"tasks": {"type": "array", "items": {
        "type": "object", "properties": {"name": {"type": "string"}, "description": {"type": "string"}},
        "required": ["name", "description"]}}},
    "required": ["tasks"],
}
REFERENCE_SCHEMA = {
    "type": "object",
    "properties": {"references": {"type": "array", "items": {"type": "string"}}},
    "required": ["references"],
}
CRITIC_SCHEMA = {
    "type": "object",
    "properties": {"reason": {"type": "string"}, "accept": {"type": "boolean"}},
    "required": ["reason", "accept"],
}


class AnswerError(ValueError):
    pass


def _json(text: str) -> dict:
    text = text.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise AnswerError(f"no JSON object in the answer: {text[:80]!r}")
    try:
        value = json.loads(text[start:end + 1])
    except ValueError as e:
        raise AnswerError(f"the answer is not valid JSON ({e.msg})") from None
    if not isinstance(value, dict):
        raise AnswerError("the answer is not a JSON object")
    return value


def task_name(raw) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise AnswerError("the task name is missing")
    name = re.sub(r"[^a-z0-9]+", "-", raw.strip().lower()).strip("-")[:60].strip("-")
    if not NAME_RE.match(name):
        raise AnswerError(f"unusable task name {raw!r}")
    return name


def _description(raw) -> str:
    if not isinstance(raw, str) or len(raw.split()) < 3:
        raise AnswerError("the description is missing or shorter than three words")
    return " ".join(raw.split())[:500]


def proposal(text: str) -> dict:
    value = _json(text)
    assets = value.get("assets", [])
    if not isinstance(assets, list) or not all(isinstance(a, str) for a in assets):
        raise AnswerError("assets must be a list of asset names")
    return {"name": task_name(value.get("name")), "description": _description(value.get("description")),
            "assets": assets[:12]}


def plan(text: str, target: str) -> list[dict]:
    value = _json(text)
    tasks = value.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise AnswerError("the plan has no tasks")
    out = [{"name": task_name(t.get("name")), "description": _description(t.get("description"))}
           for t in tasks if isinstance(t, dict)]
    target_name = task_name(target)
    out = [t for t in out if t["name"] != target_name]
    if not out:
        raise AnswerError("the plan has no stepping-stone tasks")
    return out


def references(text: str, names: list[str]) -> list[str]:
    """The library tasks the model picked as references, in its order: names it knows only (a file
    name `x_y.py` is read as `x-y`), each once."""
    value = _json(text).get("references")
    if not isinstance(value, list):
        raise AnswerError("the answer has no list 'references'")
    known, out = set(names), []
    for raw in value:
        name = raw.strip().removesuffix(".py").replace("_", "-").lower() if isinstance(raw, str) else ""
        if name in known and name not in out:
            out.append(name)
    return out


def critic(text: str) -> tuple[bool, str]:
    value = _json(text)
    accept = value.get("accept")
    if not isinstance(accept, bool):
        raise AnswerError("the critic's answer has no true/false 'accept'")
    return accept, str(value.get("reason", ""))[:300]


def code(text: str) -> str:
    """The task file in the answer (the first fenced block holding a class, else the whole answer)."""
    body = extract_task_code(text)
    if "class " not in body:
        raise AnswerError("the answer holds no class definition")
    return body
