"""Instruction → program: prompt the model, extract `def task_program():` from its answer.

Extraction is RoboSim's intake (`roboinstruct.intake.extract_program`), shared so that what
the generator accepts is exactly what the verifier will parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from .openai_backend import Progress
from .prompts import program_request
from .types import Backend


@dataclass
class ProgramSample:
    instruction: str
    raw: str  # the model's full answer ("" when the request failed)
    code: str | None  # the extracted program, or None
    error: str | None  # request error or extraction error


def extract(raw: str) -> tuple[str | None, str | None]:
    """(code, error) for one model answer."""
    from roboinstruct.intake import extract_program

    ex = extract_program(raw)
    return ex.code, ex.error


def generate_programs(
    backend: Backend,
    instructions: Sequence[str],
    domain=None,
    examples: Sequence[tuple[str, str]] = (),
    progress: Progress | None = None,
    **sampling: Any,
) -> list[list[ProgramSample]]:
    """For each instruction, its n samples (sampling['n'], default 1), in order."""
    from roboinstruct.domain import load_domain

    dom = load_domain(domain) if domain is None or isinstance(domain, str) else domain
    requests = [program_request(i, dom, examples, **sampling) for i in instructions]
    responses = backend.generate(requests, progress=progress) if progress else backend.generate(requests)
    out = []
    for instruction, resp in zip(instructions, responses):
        if resp.error:
            out.append([ProgramSample(instruction, "", None, resp.error)])
            continue
        samples = []
        for raw in resp.texts:
            code, err = extract(raw)
            samples.append(ProgramSample(instruction, raw, code, err))
        out.append(samples)
    return out
