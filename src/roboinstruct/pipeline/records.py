"""The records a generation run keeps, and the read-only view later stages take.

Stages append dict records (JSON lines, one file per stage, `artifacts.RecordFile`); their
shapes are declared here. `RunRecords` is the snapshot that post-processing, statistics,
the dataset card and the report read — records in, files out — so none of them needs the
live `GenerationRun` (its backend, its open files).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from ..domain import Domain
from ..seedtasks import Seed
from .config import GenerateConfig


class Usage(TypedDict, total=False):
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    cached: int


class InstructionRecord(TypedDict, total=False):
    """stages/instructions.jsonl, keyed by (round, index)."""
    round: int
    index: int
    id: str
    instruction: str | None
    kept: bool
    reason: str            # why it was dropped (or "kept"): dedup reasons, "unparseable", "surplus ..."
    similar_to: str | None
    similarity: float
    method: str
    raw: str
    usage: Usage


class VerdictRecord(TypedDict, total=False):
    valid: bool
    error_kind: str | None
    message: str
    line: int | None
    paths: int
    exhaustive: bool
    trace: list[str]
    choices: list[str]


class AttemptRecord(TypedDict, total=False):
    """stages/programs.jsonl, keyed by (id, attempt): the program exactly as verified."""
    id: str
    attempt: int
    program: str | None
    raw: str
    verdict: VerdictRecord
    usage: Usage


class AlignRecord(TypedDict, total=False):
    """stages/instalign.jsonl, keyed by id."""
    id: str
    original: str
    revised: str | None
    choice: str            # "original" | "revised"
    final: str
    fallback: str | None
    usage: Usage


@dataclass(frozen=True)
class RunRecords:
    """Everything a run has decided so far, as plain records."""

    fingerprint: str
    config: GenerateConfig
    domain: Domain
    seeds: list[Seed]
    instructions: list[InstructionRecord]       # every generated instruction, in (round, index) order
    kept: list[InstructionRecord]               # the instructions the run works on (at most `num`)
    attempts: dict[str, list[AttemptRecord]]    # per instruction id, in attempt order
    aligned: dict[str, AlignRecord]
    chosen: list[tuple[InstructionRecord, AttemptRecord]]  # the pair each kept instruction contributes
    notes: list[str] = field(default_factory=list)
    agreed: dict[str, dict] = field(default_factory=dict)  # behavioural agreement per instruction id

    def attempts_of(self, instruction_id: str) -> list[AttemptRecord]:
        return self.attempts.get(instruction_id, [])


def usage_of(resp) -> dict:
    """A response's cost as a record stores it."""
    u = getattr(resp, "usage", None)
    return {"prompt_tokens": getattr(u, "prompt_tokens", 0), "completion_tokens": getattr(u, "completion_tokens", 0),
            "cached_prompt_tokens": getattr(u, "cached_prompt_tokens", 0),
            "latency_s": round(getattr(resp, "latency_s", 0.0), 3), "cached": getattr(resp, "cached", 0)}


def add_usage(a: dict, b: dict) -> dict:
    return {k: a.get(k, 0) + b.get(k, 0) for k in set(a) | set(b)}
