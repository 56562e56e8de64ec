"""Evaluating programs on tasks: per-state runs, RoboEval's verdict rule, sandboxed batches.

One program on one task: extract `def task_program():`, rewrite as RoboEval would (in
roboeval mode), check and compile it once (roboinstruct.sandbox), then run it once per
state through the sandbox's runner on a `ConcreteSim`, and judge each state's trace.

The row verdict follows RoboEval's evaluator: states in order; the first state that
errs (robot error, Python error, or a step-budget stop where termination was expected)
decides the verdict; otherwise CompletionError if any check failed, else Success.
`evaluate_programs` runs rows in sandbox workers (roboinstruct.sandbox) unless
`isolate=False`, which is only for trusted programs (benchmarks, tests). There the judging is
apart from the program: the child returns only its record (`record_program`: per state the calls
and how the run ended), the parent replays it (benchmark.replay) and judges (`judge_states`).
"""

from __future__ import annotations

import json
from typing import Callable, Iterable

from ..domain import load_domain
from ..robosim.intake import extract_program
from ..sandbox import ProgramCache, ProgramRejected, base_env, run_once
from .model import Task
from .replay import replay_states
from .roboeval import lower_quoted, roboeval_source
from .simulator import ConcreteSim

DEFAULT_STEP_LIMIT = 5000
TIMEOUT_TRACE = 10  # RoboEval saves only the first 10 elements of a timed-out run's trace
MESSAGE_LIMIT = 4000
_CACHE = ProgramCache(4096)
JOB = "roboinstruct.benchmark.evaluate:evaluate_job"  # what sandbox workers run for us
_sims: dict = {}


def _sim(roboeval: bool, step_limit: int, record: bool = False) -> tuple[ConcreteSim, dict]:
    key = (roboeval, step_limit, record)
    if key not in _sims:
        sim = ConcreteSim(roboeval, step_limit, api_params(roboeval), record)
        _sims[key] = (sim, base_env(sim))
    return _sims[key]


def api_params(roboeval: bool) -> dict | None:
    """The API's parameter names: RoboEval's own (None) in roboeval mode, else the domain's."""
    if roboeval:
        return None
    return {n: tuple(p.name for p in f.params) for n, f in load_domain().functions.items()}


def compile_program(source: str):
    """CheckedProgram or ProgramRejected. A name that is never defined is a NameError only
    when the line runs (as in plain Python and RoboEval), not a rejection of the whole program."""
    return _CACHE.get(source, load_domain().policy(static_names=False))


def _state_result(sat: bool, kind: str, trace: list, message: str | None = None) -> dict:
    out = {"sat": sat, "kind": kind, "trace": [e.text() for e in trace]}
    if message:
        out["message"] = message
    return out


def _error_kind(task: Task, kind: str, message: str) -> str:
    if task.roboeval:  # RoboEval tells robot errors apart only by "Robot" in the error line
        return "RobotExecutionError" if "Robot" in message else "PythonError"
    return "RobotExecutionError" if kind == "RobotExecutionError" else "PythonError"


def prepared(program: str, task: Task):
    """(CheckedProgram, None), or (None, the message of an early PythonError): extracted, rewritten as
    RoboEval would (roboeval mode), checked and compiled."""
    extraction = extract_program(program)
    source, early = extraction.code, None
    if not extraction.ok:
        early = f"PythonError: {extraction.error or 'no program'}"
    elif task.roboeval:
        source, syntax = roboeval_source(source)
        early = syntax
    else:
        source = lower_quoted(source)
    if early is not None:
        return None, early
    checked = compile_program(source)
    if isinstance(checked, ProgramRejected):
        return None, checked.message if checked.message.startswith(checked.kind) else f"{checked.kind}: {checked.message}"
    return checked, None


def early_result(task: Task, early: str) -> dict:
    states = [_state_result(False, "PythonError", [], early) for _ in task.states]
    return {"states": states, "verdict": "PythonError", "message": early}


def evaluate_program(program: str, task: Task, step_limit: int = DEFAULT_STEP_LIMIT, seed: int = 0) -> dict:
    """Run one program (raw model text is fine) on every state of `task`, in this process, and judge it."""
    checked, early = prepared(program, task)
    if early is not None:
        return early_result(task, early)
    sim, base = _sim(task.roboeval, step_limit)
    outcomes = []
    for state in task.states:
        sim.reset(state.world)
        outcomes.append((run_once(checked, sim, base, seed), sim.trace()))
    return judge_states(task, outcomes)


def record_program(program: str, task: Task, step_limit: int = DEFAULT_STEP_LIMIT, seed: int = 0) -> dict:
    """What a sandbox child returns (no verdict): {"early": message or None, "states": [{"calls", "end"}]},
    per state the program's calls as data (simulator.ConcreteSim's record) and how its run ended."""
    checked, early = prepared(program, task)
    if early is not None:
        return {"early": early, "states": []}
    sim, base = _sim(task.roboeval, step_limit, record=True)
    states = []
    for state in task.states:
        sim.reset(state.world)
        failure = run_once(checked, sim, base, seed)
        states.append({"calls": sim.calls, "end": list(failure) if failure else None})
    return {"early": None, "states": states}


def judge_states(task: Task, outcomes: list) -> dict:
    """RoboEval's verdict from each state's (failure or None, trace): the trusted half, run by the parent
    on a replayed trace (benchmark.replay) or in-process."""
    states = []
    for state, (failure, trace) in zip(task.states, outcomes):
        if failure is not None and failure[0] != "StepBudgetExceeded":
            kind = _error_kind(task, failure[0], failure[1])
            message = failure[1] + (f" (line {failure[2]})" if failure[2] and not task.roboeval else "")
            states.append(_state_result(False, kind, [] if task.roboeval else trace, message))
            continue
        timed_out = failure is not None
        if timed_out and not state.timeout:
            states.append(_state_result(False, "PythonError", trace[:TIMEOUT_TRACE] if task.roboeval else trace,
                                        "TimeoutError: program should not timeout"))
            continue
        shown = trace[:TIMEOUT_TRACE] if timed_out and task.roboeval else trace
        try:
            sat = bool(state.check(trace))
        except Exception as e:  # noqa: BLE001 - a check that crashes fails the state
            kind = _error_kind(task, "PythonError", str(e)) if task.roboeval else "CompletionError"
            states.append(_state_result(False, kind, shown, f"check raised {type(e).__name__}: {e}"))
            continue
        states.append(_state_result(sat, "Success" if sat else "CompletionError", shown))
    return {"states": states, **verdict(states)}


def verdict(states: list[dict]) -> dict:
    for s in states:
        if s["kind"] in ("PythonError", "RobotExecutionError"):
            return {"verdict": s["kind"], "message": s.get("message", "")}
    if all(s["sat"] for s in states):
        return {"verdict": "Success"}
    return {"verdict": "CompletionError"}


_suites: dict = {}
WARM_PROGRAM = 'def task_program():\n    go_to(get_current_location())\n    say("ready")\n'


def _suite(task: dict) -> dict:
    """The task suite, loaded once per zygote (trusted: the user's task files), and warmed up on a
    fixed trusted program so no lazy import is left for a candidate's child process."""
    from .suite import load_tasks

    spec = task["tasks"]
    if spec not in _suites:
        _suites[spec] = suite = load_tasks(spec)
        for t in list(suite.values())[:1]:
            for mode in {t.roboeval, False}:
                try:  # the child's own path: the program recorded on a state, the reply encoded
                    json.dumps(record_program(WARM_PROGRAM, Task(t.name, t.prompts, t.states[:1], roboeval=mode),
                                              int(task.get("step_limit", DEFAULT_STEP_LIMIT))), default=str)
                except Exception:  # noqa: BLE001 - warm-up only
                    pass
    return _suites[spec]


def evaluate_job(task: dict) -> dict:
    """The sandbox worker's entry: {"tasks": spec, "task": name, "program": text} -> the program's record
    (`record_program`), never a verdict: the parent judges (`judged`). Runs in a fresh child per
    program, forked from a zygote that loaded the suite once (`prepare`)."""
    t = _suite(task)[task["task"]]
    return record_program(task["program"], t, int(task.get("step_limit", DEFAULT_STEP_LIMIT)))


def _warm(task: dict) -> None:
    """A spare's warm-up (sandbox/child.py) for jobs like `task`: our own program recorded on the
    task's first state and the reply encoded, so the pages a job writes are already copied when it
    comes. Never runs the task's program."""
    t = _suite(task)[task["task"]]
    json.dumps(record_program(WARM_PROGRAM, Task(t.name, t.prompts, t.states[:1], roboeval=t.roboeval),
                              int(task.get("step_limit", DEFAULT_STEP_LIMIT))), default=str)


evaluate_job.prepare = _suite  # trusted: runs in the zygote, never sees the program run
evaluate_job.warm = _warm  # trusted: runs in a confined spare before its job comes

VERDICTS = ("Success", "CompletionError", "PythonError", "RobotExecutionError")


def check_result(result: dict, task: Task) -> str | None:
    """The parent's schema check of a worker's reply for `task`: a record's outline or a crash report
    (the records themselves are checked as they are replayed)."""
    if result.get("crashed") is True:
        return None if isinstance(result.get("message"), str) else "malformed crash report"
    if set(result) != {"early", "states"} or not isinstance(result["states"], list):
        return "not a record (fields)"
    if result["early"] is not None:
        return None if isinstance(result["early"], str) and not result["states"] else "not a record (early)"
    if len(result["states"]) != len(task.states):
        return "not a record (states)"
    return None


def judged(result: dict, task: Task, step_limit: int = DEFAULT_STEP_LIMIT) -> dict:
    """The parent's evaluation of one row: a crash as a crash; an early error as reported (a record can
    make its own program fail); else every state replayed here (benchmark.replay) and judged here."""
    problem = check_result(result, task)
    if problem:
        result = {"crashed": True, "message": f"sandbox worker reply refused: {problem}"}
    if result.get("crashed"):
        return _crashed(result, task)
    if result["early"] is not None:
        return early_result(task, result["early"][:MESSAGE_LIMIT])
    sim, _ = _sim(task.roboeval, step_limit)
    try:
        outcomes = replay_states(sim, task.states, result["states"])
    except Exception as e:  # noqa: BLE001 - a record the replay cannot follow is that row's crash
        return _crashed({"message": f"sandbox worker reply refused: {type(e).__name__}: {e}"[:500]}, task)
    return judge_states(task, outcomes)


def _crashed(result: dict, task: Task) -> dict:
    msg = f"SandboxError: {result.get('message', 'worker crashed')}"
    return {"states": [_state_result(False, "PythonError", [], msg) for _ in task.states],
            "verdict": "PythonError", "message": msg}


def evaluate_programs(rows: Iterable[dict], tasks: str = "builtin", *, workers: int | None = None,
                      isolate: bool = True, step_limit: int = DEFAULT_STEP_LIMIT,
                      on_result: Callable[[int, dict], None] | None = None) -> list[dict]:
    """Evaluate rows {"task", "prompt_index", "program", ...}; returns the rows with
    "states" and "verdict" added, in input order. Unknown tasks raise UserError."""
    from ..errors import UserError
    from .suite import absolute_spec, load_tasks

    suite = load_tasks(tasks)
    tasks = absolute_spec(tasks)  # workers start elsewhere
    rows = list(rows)
    for i, r in enumerate(rows):
        if r.get("task") not in suite:
            raise UserError(f"row {i + 1}: unknown task {r.get('task')!r} (known: {', '.join(list(suite)[:8])}...)")
    out: list[dict | None] = [None] * len(rows)
    groups = same_programs(rows)

    def done(group: list[int], result: dict) -> None:
        for i in group:
            out[i] = {**rows[i], **result}
            if on_result:
                on_result(i, out[i])

    if not isolate:
        for group in groups:
            r = rows[group[0]]
            done(group, evaluate_program(r["program"], suite[r["task"]], step_limit))
        return out  # type: ignore[return-value]
    from ..sandbox import WorkerPool

    jobs = ({"job": JOB, "tasks": str(tasks), "task": rows[g[0]]["task"], "program": rows[g[0]]["program"],
             "step_limit": step_limit} for g in groups)
    with WorkerPool(workers) as pool:
        for j, result in pool.run(jobs):
            # judged here, against the task these rows asked for (a bad reply: a crash of those rows)
            done(groups[j], judged(result, suite[rows[groups[j][0]]["task"]], step_limit))
    return out  # type: ignore[return-value]


def same_programs(rows: list[dict]) -> list[list[int]]:
    """The rows' indices grouped by (task, program text), in first-seen order. A sampled score repeats
    programs (at T=0.2 a prompt's samples are often one text), and a run is deterministic (seed 0, the
    task's own states): each distinct program runs once, in its own child, and its verdict is every
    such row's. Rows of other tasks never share a run: the same text is judged against each task."""
    first: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(rows):
        first.setdefault((r["task"], r["program"]), []).append(i)
    return list(first.values())
