"""Evaluating programs on tasks: per-state runs, RoboEval's verdict rule, sandboxed batches.

One program on one task: extract `def task_program():`, rewrite as RoboEval would (in
roboeval mode), check and compile it once (roboinstruct.sandbox), then run it once per
state through the sandbox's runner on a `ConcreteSim`, and judge each state's trace.

The row verdict follows RoboEval's evaluator: states in order; the first state that
errs (robot error, Python error, or a step-budget stop where termination was expected)
decides the verdict; otherwise CompletionError if any check failed, else Success.
`evaluate_programs` runs rows in sandbox workers (roboinstruct.sandbox) unless
`isolate=False`, which is only for trusted programs (benchmarks, tests).
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..domain import load_domain
from ..robosim.intake import extract_program
from ..sandbox import ProgramCache, ProgramRejected, base_env, run_once
from .model import Task
from .roboeval import lower_quoted, roboeval_source
from .simulator import ConcreteSim

DEFAULT_STEP_LIMIT = 5000
TIMEOUT_TRACE = 10  # RoboEval saves only the first 10 elements of a timed-out run's trace
_CACHE = ProgramCache(4096)
JOB = "roboinstruct.benchmark.evaluate:evaluate_job"  # what sandbox workers run for us
_sims: dict = {}


def _sim(roboeval: bool, step_limit: int) -> tuple[ConcreteSim, dict]:
    key = (roboeval, step_limit)
    if key not in _sims:
        dom = load_domain()
        params = None if roboeval else {n: tuple(p.name for p in f.params) for n, f in dom.functions.items()}
        sim = ConcreteSim(roboeval, step_limit, params)
        _sims[key] = (sim, base_env(sim))
    return _sims[key]


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


def evaluate_program(program: str, task: Task, step_limit: int = DEFAULT_STEP_LIMIT, seed: int = 0) -> dict:
    """Run one program (raw model text is fine) on every state of `task`, in this process."""
    extraction = extract_program(program)
    source, early = extraction.code, None
    if not extraction.ok:
        early = f"PythonError: {extraction.error or 'no program'}"
    elif task.roboeval:
        source, syntax = roboeval_source(source)
        early = syntax
    else:
        source = lower_quoted(source)
    checked = None
    if early is None:
        checked = compile_program(source)
        if isinstance(checked, ProgramRejected):
            early = checked.message if checked.message.startswith(checked.kind) else f"{checked.kind}: {checked.message}"
    if early is not None:
        states = [_state_result(False, "PythonError", [], early) for _ in task.states]
        return {"states": states, "verdict": "PythonError", "message": early}
    sim, base = _sim(task.roboeval, step_limit)
    states = []
    for state in task.states:
        sim.reset(state.world)
        failure = run_once(checked, sim, base, seed)
        trace = sim.trace()
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
                try:
                    evaluate_program(WARM_PROGRAM, Task(t.name, t.prompts, t.states[:1], roboeval=mode),
                                     int(task.get("step_limit", DEFAULT_STEP_LIMIT)))
                except Exception:  # noqa: BLE001 - warm-up only
                    pass
    return _suites[spec]


def evaluate_job(task: dict) -> dict:
    """The sandbox worker's entry: {"tasks": spec, "task": name, "program": text} -> result; runs in
    a fresh child per program, forked from a zygote that loaded the suite once (`prepare`)."""
    t = _suite(task)[task["task"]]
    return evaluate_program(task["program"], t, int(task.get("step_limit", DEFAULT_STEP_LIMIT)))


evaluate_job.prepare = _suite  # trusted: runs in the zygote, never sees the program run

VERDICTS = ("Success", "CompletionError", "PythonError", "RobotExecutionError")


def check_result(result: dict, task: Task) -> str | None:
    """The parent's schema check of a worker's reply for `task`."""
    if result.get("crashed") is True:
        return None if isinstance(result.get("message"), str) else "malformed crash report"
    states = result.get("states")
    if not isinstance(states, list) or len(states) != len(task.states):
        return "not an evaluation (states)"
    for st in states:
        if not isinstance(st, dict) or not isinstance(st.get("sat"), bool) or st.get("kind") not in VERDICTS \
                or not isinstance(st.get("trace"), list) or not all(isinstance(e, str) for e in st["trace"]) \
                or not isinstance(st.get("message", ""), str) or not set(st) <= {"sat", "kind", "trace", "message"}:
            return "not an evaluation (state)"
    if result.get("verdict") not in VERDICTS or not isinstance(result.get("message", ""), str) \
            or not set(result) <= {"states", "verdict", "message"}:
        return "not an evaluation (verdict)"
    if verdict(states)["verdict"] != result["verdict"]:
        return "verdict does not follow from the states"
    return None


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

    def done(i: int, result: dict) -> None:
        out[i] = {**rows[i], **result}
        if on_result:
            on_result(i, out[i])

    if not isolate:
        for i, r in enumerate(rows):
            done(i, evaluate_program(r["program"], suite[r["task"]], step_limit))
        return out  # type: ignore[return-value]
    from ..sandbox import WorkerPool

    jobs = ({"job": JOB, "tasks": str(tasks), "task": r["task"], "program": r["program"],
             "step_limit": step_limit} for r in rows)
    with WorkerPool(workers) as pool:
        for i, result in pool.run(jobs):
            # the parent's own check, against the task this row asked for (a bad reply: a crash of the row)
            problem = check_result(result, suite[rows[i]["task"]])
            if problem:
                result = {"crashed": True, "message": f"sandbox worker reply refused: {problem}"}
            done(i, _crashed(result, suite[rows[i]["task"]]) if result.get("crashed") else result)
    return out  # type: ignore[return-value]
