"""The public verification API: `verify` one program, `verify_many` a batch.

Both take raw model output (intake extracts `def task_program():`) — or, with
`extracted=True`, source that a caller already extracted once and stores as is — and run it
inside sandbox workers (roboinstruct.sandbox); `isolate=False` runs in this process, which is
only for code that already is a sandbox worker or a benchmark of trusted programs.
"""

from __future__ import annotations

import atexit
import re
from typing import Callable, Sequence

from ..domain import Domain, load_domain
from .explore import DEFAULT_DFS_PATHS, DEFAULT_PATHS, DEFAULT_STEP_LIMIT, explore
from .intake import Extraction, extract_program
from .verdict import Verdict

JOB = "roboinstruct.robosim.verifier:verify_job"
STRICT_MESSAGE = re.compile(r"^(?:\w+: )?\[strict:([\w-]+)\] ")  # api.STRICT_PREFIX, after the error kind

_shared_pool = None


def verify_in_process(program: str, domain: "Domain | str | None" = None, seed: int = 0,
                      paths: int = DEFAULT_PATHS, dfs_paths: int = DEFAULT_DFS_PATHS,
                      step_limit: int = DEFAULT_STEP_LIMIT, fairness: int = 3,
                      entry: str = "task_program", extracted: bool = False, strict: bool = False) -> Verdict:
    if not extracted:
        extraction = extract_program(program, entry)
        if not extraction.ok:
            return extraction_verdict(extraction)
        program = extraction.code
    ref = explore(program, domain, seed=seed, paths=paths, dfs_paths=dfs_paths,
                  step_limit=step_limit, fairness=fairness, entry=entry)
    if not strict:
        return ref
    # The reference verdict stands as it is; only a program it accepts is explored again under the
    # strict semantics, so every strict rejection is one the paper's RoboSim would have let through.
    ref.check, ref.reference_valid = "strict", ref.valid
    if not ref.valid:
        return ref
    v = explore(program, domain, seed=seed, paths=paths, dfs_paths=dfs_paths,
                step_limit=step_limit, fairness=fairness, entry=entry, strict=True)
    v.check, v.reference_valid = "strict", True
    if not v.valid:
        m = STRICT_MESSAGE.match(v.message)
        v.error_kind = "MeaningError"
        v.rule, v.message = (m.group(1), v.message[m.end():]) if m else ("strict", v.message)
    return v


def extraction_verdict(extraction: Extraction) -> Verdict:
    """The verdict on a text with no usable program (nothing to run)."""
    return Verdict(False, "PythonError", extraction.error or "no program", extraction.line, 0, False)


_worker_domains: dict = {}


def verify_job(task: dict) -> dict:
    """The sandbox worker's entry for a verification task (domain sent as its declaration)."""
    from ..domain import parse_domain

    key = repr((task["domain"]["source"], sorted(task["domain"]["raw"].items(), key=str)))
    if key not in _worker_domains:
        _worker_domains[key] = parse_domain(task["domain"]["raw"], task["domain"]["source"])
    return verify_in_process(**{**task, "domain": _worker_domains[key]}).to_dict()


def as_verdict(result: dict) -> Verdict:
    if result.get("crashed"):
        return Verdict(False, result["error_kind"], result["message"])
    return Verdict.from_dict(result)


def verification_task(program: str, domain: Domain, seed: int, paths: int, options: dict) -> dict:
    return {"job": JOB, "program": program, "domain": {"raw": domain.raw, "source": domain.source},
            "seed": seed, "paths": paths, **options}


def _get_shared_pool():
    global _shared_pool
    if _shared_pool is None:
        from ..sandbox import WorkerPool

        _shared_pool = WorkerPool()
        atexit.register(_shared_pool.close)
    return _shared_pool


def verify(program: str, domain: "Domain | str | None" = None, *, seed: int = 0, paths: int = DEFAULT_PATHS,
           isolate: bool = True, **options) -> Verdict:
    """Verify one program (raw model text is fine). Same inputs, same verdict."""
    dom = load_domain(domain)
    if not isolate:
        return verify_in_process(program, dom, seed, paths, **options)
    for _idx, result in _get_shared_pool().run([verification_task(program, dom, seed, paths, options)]):
        return as_verdict(result)
    raise RuntimeError("sandbox pool returned no verdict")  # unreachable: run yields one per task


def verify_many(programs: Sequence[str], domain: "Domain | str | None" = None, *, seed: int = 0,
                paths: int = DEFAULT_PATHS, workers: int | None = None,
                on_result: Callable[[int, Verdict], None] | None = None, **options) -> list[Verdict]:
    """Verify a batch in sandbox workers (default: one per core); verdicts in input order."""
    from ..sandbox import WorkerPool

    dom = load_domain(domain)
    out: list[Verdict | None] = [None] * len(programs)
    with WorkerPool(workers) as pool:
        for idx, result in pool.run(verification_task(p, dom, seed, paths, options) for p in programs):
            out[idx] = verdict = as_verdict(result)
            if on_result:
                on_result(idx, verdict)
    return out  # type: ignore[return-value]
