"""The public verification API: `verify` one program, `verify_many` a batch.

Both take raw model output (intake extracts `def task_program():`) — or, with
`extracted=True`, source that a caller already extracted once and stores as is — and run it
inside sandbox workers (roboinstruct.sandbox); `isolate=False` runs in this process, which is
only for code that already is a sandbox worker or a benchmark of trusted programs.
"""

from __future__ import annotations

import atexit
import json
import re
from typing import Callable, Sequence

from ..domain import Domain, load_domain
from .explore import DEFAULT_DFS_PATHS, DEFAULT_PATHS, DEFAULT_STEP_LIMIT, explore
from .intake import Extraction, extract_program
from .replay import RecordRefused, judge, program_facts
from .verdict import Verdict

JOB = "roboinstruct.robosim.verifier:verify_job"
STRICT_MESSAGE = re.compile(r"^(?:\w+: )?\[strict:([\w-]+)\] ")  # api.STRICT_PREFIX, after the error kind

_shared_pool = None


def verify_in_process(program: str, domain: "Domain | str | None" = None, seed: int = 0,
                      paths: int = DEFAULT_PATHS, dfs_paths: int = DEFAULT_DFS_PATHS,
                      step_limit: int = DEFAULT_STEP_LIMIT, fairness: int = 3,
                      entry: str = "task_program", extracted: bool = False, strict: bool = False) -> Verdict:
    """The verdict, with the program run in this process (trusted programs, tests, benchmarks)."""
    if not extracted:
        extraction = extract_program(program, entry)
        if not extraction.ok:
            return extraction_verdict(extraction)
        program = extraction.code
    ref = explore(program, domain, seed=seed, paths=paths, dfs_paths=dfs_paths,
                  step_limit=step_limit, fairness=fairness, entry=entry)
    if not strict or not ref.valid:
        return _strict_reference(ref) if strict else ref
    v = explore(program, domain, seed=seed, paths=paths, dfs_paths=dfs_paths,
                step_limit=step_limit, fairness=fairness, entry=entry, strict=True)
    return _strict(v)


def _strict_reference(ref: Verdict) -> Verdict:
    # The reference verdict stands as it is; only a program it accepts is explored again under the
    # strict semantics, so every strict rejection is one the paper's RoboSim would have let through.
    ref.check, ref.reference_valid = "strict", ref.valid
    return ref


def _strict(v: Verdict) -> Verdict:
    v.check, v.reference_valid = "strict", True
    if not v.valid:
        m = STRICT_MESSAGE.match(v.message)
        v.error_kind = "MeaningError"
        v.rule, v.message = (m.group(1), v.message[m.end():]) if m else ("strict", v.message)
    return v


def record_in_process(program: str, domain: Domain, seed: int = 0, paths: int = DEFAULT_PATHS,
                      dfs_paths: int = DEFAULT_DFS_PATHS, step_limit: int = DEFAULT_STEP_LIMIT, fairness: int = 3,
                      entry: str = "task_program", extracted: bool = False, strict: bool = False) -> dict:
    """What a sandbox child returns: the record of each exploration (robosim.record), no verdict.
    {"reference": record, "strict": record of the strict exploration, or None when it did not run}."""
    if not extracted:
        extraction = extract_program(program, entry)
        if not extraction.ok:
            v = extraction_verdict(extraction)
            return {"reference": {"rejected": [v.error_kind, v.message, v.line], "paths": []}, "strict": None}
        program = extraction.code
    out: dict = {"reference": None, "strict": None}
    for key in ("reference", "strict") if strict else ("reference",):
        paths_record: list = []
        v = explore(program, domain, seed=seed, paths=paths, dfs_paths=dfs_paths, step_limit=step_limit,
                    fairness=fairness, entry=entry, strict=key == "strict", record=paths_record)
        rejected = [v.error_kind, v.message, v.line] if not v.paths else None
        out[key] = {"rejected": rejected, "paths": paths_record}
        if not v.valid:
            break
    return out


def judged(result: dict, task: dict, domain: Domain | None = None, observe=None) -> Verdict:
    """The parent's verdict on one job: a crash report as it is, else the child's record replayed here
    (robosim.replay); a record that does not replay is a crash of that job. `observe`: see `replay.judge`
    (given the paths of the exploration whose verdict this is: the strict one when strict)."""
    problem = check_result(result)
    if problem:
        return Verdict(False, "SandboxError", f"sandbox worker reply refused: {problem}")
    if result.get("crashed"):
        return Verdict(False, result["error_kind"], result["message"])
    from ..domain import parse_domain

    dom = domain or parse_domain(task["domain"]["raw"], task["domain"]["source"])
    opts = {k: task.get(k, d) for k, d in (("seed", 0), ("paths", DEFAULT_PATHS), ("dfs_paths", DEFAULT_DFS_PATHS),
                                           ("step_limit", DEFAULT_STEP_LIMIT), ("fairness", 3))}
    program = task["program"]
    if not task.get("extracted"):  # verification_task extracts here: nothing to extract, whatever the child says
        extraction = extract_program(program, task.get("entry", "task_program"))
        if not extraction.ok:
            return extraction_verdict(extraction)
        program = extraction.code
    try:
        facts = program_facts(program, dom) if result["reference"]["rejected"] is None else None
        ref = judge(facts, dom, result["reference"], strict=False,
                    observe=None if task.get("strict") else observe, **opts)
        if not task.get("strict") or not ref.valid:
            return _strict_reference(ref) if task.get("strict") else ref
        if result["strict"] is None:
            raise RecordRefused("no record of the strict exploration")
        return _strict(judge(facts, dom, result["strict"], strict=True, observe=observe, **opts))
    except Exception as e:  # noqa: BLE001 - a record the replay cannot follow is that job's crash
        return Verdict(False, "SandboxError", f"sandbox worker reply refused: {type(e).__name__}: {e}"[:500])


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
    """The task's Domain, parsed and warmed up once per zygote. Looked up without re-encoding the
    declaration (about 17 KB of data, a job's largest part): the child gets the very dict the zygote
    prepared (fork copies it), so an identity check finds it there, untouched by anything but this
    lookup (every page a child reads into needs no copy-on-write fault); the zygote compares a new
    job's declaration with the parsed ones by value (one C-level comparison, no repr or sort)."""
    global _last_domain
    declared = task["domain"]
    if _last_domain[0] is declared:
        return _last_domain[1]
    source, raw = declared["source"], declared["raw"]
    for known_raw, dom in _worker_domains.get(source, ()):
        # equal by value; key order cannot differ for one source: the parent sends its parsed file
        if known_raw == raw:
            break
    else:
        dom = _parsed_and_warmed(raw, source)
        _worker_domains.setdefault(source, []).append((raw, dom))
    _last_domain = (declared, dom)
    return dom


_last_domain: tuple = (None, None)


def _parsed_and_warmed(raw: dict, source: str):
    from ..domain import parse_domain

    dom = parse_domain(raw, source)
    for program in WARM_PROGRAMS:  # trusted: our own programs (see above), never a candidate's
        for strict in (False, True):
            try:  # the child's own path: explore with a record, the reply encoded
                json.dumps(record_in_process(program, dom, paths=8, strict=strict), default=str)
            except Exception:  # noqa: BLE001 - a domain without these functions warms up less, that is all
                pass
    return dom


def verify_job(task: dict) -> dict:
    """The sandbox worker's entry for a verification task (domain sent as its declaration); runs in a
    fresh child per program, forked from a zygote that ran `prepare` (the domain, parsed once). Returns
    the exploration's record, never a verdict: the parent judges (`judged`)."""
    return record_in_process(**{**task, "domain": _worker_domain(task)})


def _warm(task: dict) -> None:
    """A spare's warm-up (sandbox/child.py) for jobs like `task`: our own programs through the job's
    own path on its domain and settings, so the pages a job writes are already copied when it comes.
    Never runs the task's program."""
    # one program, one path: the pages are what it is for, more exploring only costs the core
    json.dumps(record_in_process(WARM_PROGRAMS[0], _worker_domain(task), paths=1, dfs_paths=1,
                                 strict=bool(task.get("strict"))), default=str)


verify_job.prepare = _worker_domain  # trusted: runs in the zygote, never sees the program run
verify_job.warm = _warm  # trusted: runs in a confined spare before its job comes


def check_result(result: dict) -> str | None:
    """The parent's schema check of a worker's reply: a record's outline, or a crash report (the
    records themselves are checked as they are replayed)."""
    if result.get("crashed") is True:
        ok = set(result) == {"crashed", "error_kind", "message"} and all(isinstance(result[k], str)
                                                                         for k in ("error_kind", "message"))
        return None if ok else "malformed crash report"
    if set(result) != {"reference", "strict"}:
        return "not a record (fields)"
    for key in ("reference", "strict"):
        rec = result[key]
        if rec is None and key == "strict":
            continue
        if not isinstance(rec, dict) or set(rec) != {"rejected", "paths"} or not isinstance(rec["paths"], list):
            return f"not a record ({key})"
    return None


_declarations: dict[int, tuple] = {}


def declaration(domain: Domain) -> dict:
    """What a job carries of the domain, one object per Domain: the pool sends it to each zygote
    once and knows it again by identity (sandbox.workers.SHARED_KEYS), so no job re-encodes it."""
    known = _declarations.get(id(domain))
    if known is None or known[0] is not domain:
        if len(_declarations) > 64:
            _declarations.clear()
        known = _declarations[id(domain)] = (domain, {"raw": domain.raw, "source": domain.source})
    return known[1]


def verification_task(program: str, domain: Domain, seed: int, paths: int, options: dict) -> dict:
    """The job for one program: extracted here (the parent replays the same source the child runs), or,
    when there is nothing to extract, sent as it is for the child to reject."""
    options = dict(options)
    if not options.get("extracted"):
        extraction = extract_program(program, options.get("entry", "task_program"))
        if extraction.ok:
            program, options["extracted"] = extraction.code, True
    return {"job": JOB, "program": program, "domain": declaration(domain),
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
    task = verification_task(program, dom, seed, paths, options)
    for _idx, result in _get_shared_pool().run([task], check=check_result):
        return judged(result, task, dom)
    raise RuntimeError("sandbox pool returned no verdict")  # unreachable: run yields one per task


def verify_many(programs: Sequence[str], domain: "Domain | str | None" = None, *, seed: int = 0,
                paths: int = DEFAULT_PATHS, workers: int | None = None,
                on_result: Callable[[int, Verdict], None] | None = None, observers: Sequence | None = None,
                **options) -> list[Verdict]:
    """Verify a batch in sandbox workers (default: one per core); verdicts in input order. `observers`:
    one callable (or None) per program, shown that program's replayed paths (`replay.judge`)."""
    from ..sandbox import WorkerPool

    dom = load_domain(domain)
    out: list[Verdict | None] = [None] * len(programs)
    tasks = [verification_task(p, dom, seed, paths, options) for p in programs]
    with WorkerPool(workers) as pool:
        for idx, result in pool.run(tasks, check=check_result):
            out[idx] = verdict = judged(result, tasks[idx], dom, observers[idx] if observers else None)
            if on_result:
                on_result(idx, verdict)
    return out  # type: ignore[return-value]
