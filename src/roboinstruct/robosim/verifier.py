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
from .verdict import ERROR_KINDS, Verdict

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
# Fixed, trusted programs the zygote verifies once per domain (as model output, so extraction runs
# too): whatever a first run compiles or imports (regular expressions, lazy imports, caches) is then
# in the zygote's memory and shared by every candidate's child instead of redone in each.
WARM_PROGRAMS = (
    "```python\ndef task_program():\n    start = get_current_location()\n    for room in get_all_rooms():\n"
    "        if \"kitchen\" in room:\n            go_to(room)\n            if is_in_room(\"apple\"):\n"
    "                pick(\"apple\")\n                go_to(start)\n                place(\"apple\")\n"
    "    say(\"done \" + str(len([r for r in get_all_rooms()])))\n```\n",
    "def task_program():\n    go_to(\"office\")\n    while not is_in_room(\"Alice\"):\n        time.sleep(1)\n"
    "    if ask(\"Alice\", \"Tea?\", [\"yes\", \"no\"]) == \"yes\":\n        say(\"ok\")\n    place(\"cup\")\n",
    "def task_program():\n    x = {}\n    x[1] = undefined_name\n",
    "def task_program():\n    while True:\n        say(\"hi\")\n",
)


def _worker_domain(task: dict):
    from ..domain import parse_domain

    key = repr((task["domain"]["source"], sorted(task["domain"]["raw"].items(), key=str)))
    if key not in _worker_domains:
        _worker_domains[key] = dom = parse_domain(task["domain"]["raw"], task["domain"]["source"])
        for program in WARM_PROGRAMS:  # trusted: our own programs (see above), never a candidate's
            for strict in (False, True):
                try:
                    verify_in_process(program, dom, paths=8, strict=strict)
                except Exception:  # noqa: BLE001 - a domain without these functions warms up less, that is all
                    pass
    return _worker_domains[key]


def verify_job(task: dict) -> dict:
    """The sandbox worker's entry for a verification task (domain sent as its declaration); runs
    in a fresh child per program, forked from a zygote that ran `prepare` (the domain, parsed once)."""
    return verify_in_process(**{**task, "domain": _worker_domain(task)}).to_dict()


verify_job.prepare = _worker_domain  # trusted: runs in the zygote, never sees the program run


_FIELD_TYPES = {"valid": bool, "error_kind": (str, type(None)), "message": str, "line": (int, type(None)),
                "paths": int, "exhaustive": bool, "counterexample": (dict, type(None)), "stats": dict,
                "check": str, "reference_valid": (bool, type(None)), "rule": (str, type(None))}


def check_result(result: dict) -> str | None:
    """The parent's schema check of a worker's reply: a verdict dict, or a crash report."""
    if result.get("crashed") is True:
        ok = set(result) == {"crashed", "error_kind", "message"} and all(isinstance(result[k], str)
                                                                         for k in ("error_kind", "message"))
        return None if ok else "malformed crash report"
    if set(result) != set(_FIELD_TYPES):
        return "not a verdict (fields)"
    for k, t in _FIELD_TYPES.items():
        if not isinstance(result[k], t):
            return f"not a verdict ({k} is {type(result[k]).__name__})"
    if result["valid"] != (result["error_kind"] is None) or result["error_kind"] not in (None, *ERROR_KINDS):
        return "not a verdict (valid/error_kind)"
    return None


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
    for _idx, result in _get_shared_pool().run([verification_task(program, dom, seed, paths, options)],
                                               check=check_result):
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
        for idx, result in pool.run((verification_task(p, dom, seed, paths, options) for p in programs),
                                     check=check_result):
            out[idx] = verdict = as_verdict(result)
            if on_result:
                on_result(idx, verdict)
    return out  # type: ignore[return-value]
