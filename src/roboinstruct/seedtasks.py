"""Seed tasks (instruction + reference program) for a domain, from YAML: the few-shot
examples of generation and of the `fewshot` task prompt."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import UserError

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"


@dataclass(frozen=True)
class Seed:
    instruction: str
    program: str


def load_seeds(path: str | None, domain_name: str) -> list[Seed]:
    file = Path(path) if path else SEEDS_DIR / f"{domain_name}.yaml"
    if not file.exists():
        hint = "pass --seeds-file" if not path else "check the path"
        raise UserError(f"no seed tasks at {file}; {hint} (YAML: seeds: [{{instruction, program}}, ...])")
    try:
        data = yaml.safe_load(file.read_text()) or {}
    except yaml.YAMLError as e:
        raise UserError(f"{file}: invalid YAML: {str(e).splitlines()[0]}") from None
    items = data.get("seeds") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise UserError(f"{file}: expected a 'seeds' list of {{instruction, program}} entries")
    out = []
    for i, s in enumerate(items):
        if not isinstance(s, dict) or not str(s.get("instruction", "")).strip() or "def " not in str(s.get("program", "")):
            raise UserError(f"{file}: seeds[{i}] needs a non-empty 'instruction' and a 'program' with def task_program():")
        out.append(Seed(" ".join(str(s["instruction"]).split()), str(s["program"]).rstrip() + "\n"))
    return out
