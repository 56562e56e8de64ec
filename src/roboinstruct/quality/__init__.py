"""The strict check: does a verified pair *mean* something a careful reader would train on?

The paper's RoboSim (`check: reference`) catches execution errors only. `check: strict` adds,
on top of an unchanged reference verdict:
  gates     the instruction is a request this robot can carry out (gates.py, text)
  robosim   RoboSim's strict semantics: names of the wrong kind, people asked where the robot
            never went (robosim.api with strict=True, in sandbox workers: it runs the program)
  rules     static rules on (instruction, program): placeholders, print for reporting, string
            iteration, options that do not answer the question, missing report or return
            (rules.py, AST only)
Every rule reads the domain (its YAML), never the service robot's names.

    from roboinstruct.quality import assess_pairs, check_instruction, check_program
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding
from .gates import check_instruction
from .rules import check_program

CHECKS = ("reference", "strict")

__all__ = ["CHECKS", "Assessment", "Finding", "assess_pairs", "check_instruction", "check_program",
           "verdict_finding"]


@dataclass
class Assessment:
    """One pair's keep/reject under a check, with every finding and RoboSim's verdict."""

    id: str
    keep: bool
    rule: str | None = None
    reason: str = ""
    findings: list[Finding] = field(default_factory=list)
    verdict: dict | None = None  # RoboSim's (compact) verdict: reference_valid tells the paper's call

    def to_dict(self) -> dict:
        return {"id": self.id, "keep": self.keep, "rule": self.rule, "reason": self.reason,
                "findings": [f.to_dict() for f in self.findings],
                "robosim": None if self.verdict is None else {k: self.verdict.get(k) for k in (
                    "valid", "reference_valid", "error_kind", "rule", "message", "line", "trace")}}


def verdict_finding(v) -> Finding | None:
    """A RoboSim verdict as a finding (None when valid): execution errors under `robosim`,
    strict semantics under their own rule name."""
    if v.valid:
        return None
    rule = v.rule or f"robosim:{v.error_kind or 'error'}"
    return Finding(rule, v.message, v.line)


def assess_pairs(pairs: list[dict], domain, *, check: str = "strict", seed: int = 0, paths: int = 1000,
                 workers: int | None = None, verifier=None) -> list[Assessment]:
    """Assess rows {"id", "instruction", "program"}: gates, RoboSim (strict semantics when
    check == "strict", in sandbox workers), then the static rules. What this keeps is exactly
    what `generate --check CHECK` keeps of the same pair."""
    from ..robosim import extract_program, extraction_verdict, verify_many

    extracted = [extract_program(p.get("program") or "") for p in pairs]
    runnable = [ex.code for ex in extracted if ex.ok]
    if verifier is not None:
        verdicts = iter(verifier(runnable))
    else:
        verdicts = iter(verify_many(runnable, domain, seed=seed, paths=paths, workers=workers, extracted=True,
                                    strict=check == "strict") if runnable else [])
    out = []
    for pair, ex in zip(pairs, extracted):
        v = next(verdicts) if ex.ok else extraction_verdict(ex)
        findings: list[Finding] = []
        if check == "strict":
            findings += check_instruction(pair.get("instruction") or "", domain)
        vf = verdict_finding(v)
        if vf is not None:
            findings.append(vf)
        if check == "strict" and ex.ok:
            findings += check_program(pair.get("instruction") or "", ex.code, domain)
        first = findings[0] if findings else None
        out.append(Assessment(str(pair["id"]), not findings, first.rule if first else None,
                              first.reason if first else "", findings, _compact(v)))
    return out


def _compact(v) -> dict:
    cx = v.counterexample or {}
    return {"valid": v.valid, "reference_valid": v.reference_valid if v.check == "strict" else v.valid,
            "error_kind": v.error_kind, "rule": v.rule, "message": v.message[:500], "line": v.line,
            "trace": (cx.get("trace") or [])[-12:]}
