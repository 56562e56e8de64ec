"""Stages 3–4: programs for instructions, and RoboSim rejection sampling over them.

Attempt k of instruction i is one seeded request (reproducible, cached). Modes decide
which attempts are made and which program is kept (the paper's ablations):
  self-instruct      one attempt, kept whatever RoboSim says
  reject-unsolvable  resample until valid; keep the FIRST program if any attempt was valid
  robosim            resample until valid; keep the first VALID program
  instalign          as reject-unsolvable, then InstAlign
  robo-instruct      as robosim, then InstAlign
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..domain import Domain
from ..llm.types import ChatRequest
from ..taskprompt import program_request
from ..templates import renderer

render = renderer(Path(__file__).parent / "prompts")

KEEP_FIRST = {"self-instruct", "reject-unsolvable", "instalign"}
NEEDS_VALID = {"reject-unsolvable", "robosim", "instalign", "robo-instruct"}


def max_attempts(mode: str, max_resamples: int) -> int:
    return 1 if mode == "self-instruct" else 1 + max_resamples


def needs_attempt(mode: str, attempts: Sequence[dict], k: int, max_resamples: int) -> bool:
    """Whether attempt k is due, given the earlier attempts' records (in order)."""
    if k >= max_attempts(mode, max_resamples):
        return False
    return not any(a["verdict"]["valid"] for a in attempts[:k])


def chosen(mode: str, attempts: Sequence[dict]) -> dict | None:
    """The attempt whose program goes into the dataset, or None (instruction dropped)."""
    if not attempts:
        return None
    any_valid = any(a["verdict"]["valid"] for a in attempts)
    if mode == "self-instruct":
        return attempts[0] if attempts[0].get("program") else None
    if not any_valid:
        return None  # reject unsolvable
    if mode in KEEP_FIRST:
        return attempts[0] if attempts[0].get("program") else None
    return next(a for a in attempts if a["verdict"]["valid"])


def repair_text(instruction: str, previous: dict) -> str:
    """The instruction plus what went wrong last time (the --repair option)."""
    v = previous["verdict"]
    trace = (v.get("trace") or [])[-6:]
    return render("repair.j2", instruction=instruction, error_kind=v.get("error_kind") or "error",
                  line=v.get("line"), message=v.get("message", ""), trace=trace)


def attempt_request(instruction: str, domain: Domain, examples: Sequence[tuple[str, str]], *, seed: int,
                    attempt: int, temperature: float, max_tokens: int, previous: dict | None = None,
                    repair: bool = False) -> ChatRequest:
    text = repair_text(instruction, previous) if repair and previous is not None else instruction
    # attempt 0 is greedy-ish at the configured temperature; every attempt has its own seed
    return program_request(text, domain, examples, temperature=temperature, max_tokens=max_tokens,
                           seed=seed, stop=["\n```\n", "\nUser:", "<|im_end|>"])


def compact_verdict(v) -> dict:
    """What a record keeps of a Verdict: enough to explain and to repair, not the whole world."""
    cx = v.counterexample or {}
    out = {"valid": v.valid, "error_kind": v.error_kind, "message": v.message[:500], "line": v.line,
           "paths": v.paths, "exhaustive": v.exhaustive, "trace": (cx.get("trace") or [])[-12:],
           "choices": (cx.get("choices") or [])[-12:]}
    if v.check == "strict":  # both calls: the paper's RoboSim and this project's meaning rules
        out.update(check="strict", reference_valid=v.reference_valid, rule=v.rule)
    return out


def with_static_rules(verdict: dict, instruction: str, program: str | None, domain: Domain,
                      plan: dict | None = None, traced=None) -> dict:
    """A strict verdict with the static meaning rules applied (a RoboSim-valid program that
    breaks one becomes a MeaningError naming the rule, the line and why); with a plan
    (`--origin plans`), also the plan's calls (`plan-coverage`) and `traced`, the finding of its
    paths against the plan (`plan-place`, `plan-answer`, `plan-contradiction`: quality.plan_trace)."""
    verdict = {**verdict, "check": "strict"}
    verdict.setdefault("reference_valid", verdict["valid"])
    if not verdict["valid"] or program is None:
        return verdict
    from ..quality import check_program

    found = check_program(instruction, program, domain)
    if plan is not None:
        from ..quality.plans import check_coverage

        missing = check_coverage(plan, program)
        found = found + [x for x in (missing, traced) if x is not None]
    if found:
        f = found[0]
        verdict.update(valid=False, error_kind="MeaningError", rule=f.rule, message=f.reason, line=f.line,
                       others=[str(x) for x in found[1:]])
    return verdict
