"""Hostile-program corpus for the sandboxed RoboSim verifier.

Every file in ``hostile/`` is the *text* of a robot program that tries to escape,
crash, hang or poison the verifier. All of them are verified in ONE
``verify_many`` call (two workers), then checked per file.

File format (``hostile/NNN_short_name.py``), header comment lines first::

    # attack: <one line: what this tries to do>
    # expect: rejected | contained
    # static: yes | syntax          (optional)
    # transform: nul                (optional)

* ``expect: rejected``  -> ``verdict.valid is False`` with a non-empty message.
* ``expect: contained`` -> any verdict is fine; the parent-unharmed checks below
  (files, stdout markers, memory, process state, ...) are what catch it.
* ``static: yes``       -> the verifier's static check must reject it before any
  path runs: ``error_kind in ("SandboxError", "PythonError")`` and ``paths == 0``.
* ``static: syntax``    -> as ``static: yes``; additionally the text deliberately
  does not compile with CPython (the corpus self-check asserts that, and asserts
  that every other file *does* compile, so no attack is "rejected" by a typo).
* ``transform: nul``    -> the token ``<<NUL>>`` is replaced by a NUL character.
* Lines between ``# >>> repeat N`` and ``# <<< repeat`` are repeated N times
  (used to build a 1 MB source without committing 1 MB).

Payload conventions: a successful escape creates a file named ``PWNED_NNN`` in
the current directory, or prints a line containing ``ROBOINSTRUCT-PWNED`` from
whichever process unpickles it, and otherwise finishes normally (so a leaky
sandbox shows up as a *valid* verdict for a ``rejected`` program).

Each hostile program is followed in the batch by an innocent "bystander"
program, which must still verify as valid: one program must not be able to
poison the worker (or get its neighbours killed) for the programs after it.
"""

from __future__ import annotations

import ast
import builtins
import copy
import os
import re
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_corpus import CASE_IDS, CASE_INDEX, CASES, CORPUS, HOSTILE_DIR, Case, compiles
from parent_state import (BatchTimeout, Tee, builtins_diff, diff_process_state, open_fd_count, proc_status_kb,
                          process_state, pwned_files, remove_files, runaway_children)

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent

WORKERS = 2
PATHS = 20
SEED = 0

MIN_CASES = 60

ERROR_KINDS = {"PythonError", "RobotExecutionError", "StepBudgetExceeded", "SandboxError"}
STATIC_ERROR_KINDS = ("SandboxError", "PythonError")

PWNED_MARKER = "ROBOINSTRUCT-PWNED"
# A worker killed by a CPU/memory limit also comes back with paths == 0; such a verdict
# must not count as a *static* rejection.
NOT_STATIC_RE = re.compile(r"\bworkers?\b|time limit|watchdog|killed|\bCPU\b", re.IGNORECASE)

# Limits for "the parent is unharmed".
MAX_RSS_GROWTH_KB = 200 * 1024
MAX_PEAK_RSS_GROWTH_KB = 500 * 1024
MAX_NEW_FDS = 16
# A hang guard, not a speed target (speed is benchmarks/robosim_speed.py's): hostile programs that
# burn their whole time budget, each in a fresh confined child, on 2 cores possibly shared.
BATCH_SOFT_LIMIT_S = 200.0
BATCH_WATCHDOG_S = 260.0  # hard stop so a hung verifier fails instead of hanging CI
# "Contained" also means no giant payload is shipped back in a verdict.
MAX_MESSAGE_CHARS = 100_000
MAX_COUNTEREXAMPLE_REPR_CHARS = 2_000_000

TRIVIAL_PROGRAM = 'def task_program():\n    go_to("kitchen")\n    say("hi")'
BYSTANDER_PROGRAM = (
    "def task_program():\n"
    '    go_to("kitchen")\n'
    "    time.sleep(0)\n"
    '    say("hi")\n'
)

# Module-level canary: nothing the verifier does may change it.
CANARY = "roboinstruct-hostile-canary"
CANARY_STATE = {"value": CANARY, "items": [1, 2, 3], "nested": {"ok": True}}


# --------------------------------------------------------------------------- #
# The one batch run
# --------------------------------------------------------------------------- #


@dataclass
class BatchResult:
    verdicts: list
    elapsed: float
    harms: dict[str, list[str]]
    parent_output: str


def _import_verify_many():
    try:
        from roboinstruct.verify import verify_many
    except ModuleNotFoundError as exc:
        if exc.name == "roboinstruct.verify":
            pytest.skip("roboinstruct.verify is not implemented yet")
        raise
    return verify_many


@pytest.fixture(scope="module")
def verify_many():
    return _import_verify_many()


@pytest.fixture(scope="module")
def batch(verify_many, tmp_path_factory) -> BatchResult:
    run_dir = tmp_path_factory.mktemp("hostile_cwd")
    original_cwd = Path.cwd()
    # Relative payload paths land in the workers' cwd: ours, unless the pool chdirs them
    # (e.g. to "/"). Stale marker files from an earlier run are removed so they can't mask a new hit.
    pwned_dirs = sorted(
        {run_dir, original_cwd, REPO_ROOT, HERE, HOSTILE_DIR, Path(tempfile.gettempdir()), Path(os.sep), Path.home()}
    )
    remove_files(pwned_files(pwned_dirs))

    programs: list[str] = []
    for case in CASES:
        programs.append(case.source)
        programs.append(BYSTANDER_PROGRAM)

    canary_snapshot = copy.deepcopy(CANARY_STATE)
    canary_ids = (id(CANARY_STATE), id(CANARY_STATE["items"]))
    builtins_snapshot = dict(vars(builtins))
    rss_before = proc_status_kb("VmRSS")
    hwm_before = proc_status_kb("VmHWM")
    fds_before = open_fd_count()
    state_before = process_state()

    harms: dict[str, list[str]] = {
        "cwd": [],
        "files": [],
        "builtins": [],
        "canary": [],
        "memory": [],
        "process_state": [],
        "children": [],
        "parent_output": [],
    }

    use_watchdog = hasattr(signal, "setitimer") and sys.platform != "win32"

    def _watchdog(signum, frame):
        raise BatchTimeout(f"verify_many did not return within {BATCH_WATCHDOG_S:.0f}s")

    out_tee, err_tee = Tee(sys.stdout), Tee(sys.stderr)
    previous_alarm = signal.getsignal(signal.SIGALRM) if use_watchdog else None
    if previous_alarm is None:  # handler installed outside Python
        previous_alarm = signal.SIG_DFL
    verdicts = None
    failure: BaseException | None = None
    t0 = time.monotonic()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(run_dir)
        mp.setattr(sys, "stdout", out_tee)
        mp.setattr(sys, "stderr", err_tee)
        if use_watchdog:
            signal.signal(signal.SIGALRM, _watchdog)
            signal.setitimer(signal.ITIMER_REAL, BATCH_WATCHDOG_S)
        try:
            verdicts = verify_many(programs, workers=WORKERS, paths=PATHS, seed=SEED)
        except (Exception, SystemExit, GeneratorExit) as exc:  # SystemExit must not end pytest
            failure = exc
        finally:
            if use_watchdog:
                signal.setitimer(signal.ITIMER_REAL, 0)
                if signal.getsignal(signal.SIGALRM) is not _watchdog:
                    harms["process_state"].append("verify_many replaced the parent's SIGALRM handler")
                signal.signal(signal.SIGALRM, previous_alarm)
            elapsed = time.monotonic() - t0
            cwd_during = Path.cwd()
    if cwd_during != run_dir:
        harms["cwd"].append(f"verify_many changed the parent's cwd to {cwd_during}")
    if Path.cwd() != original_cwd:
        harms["cwd"].append(f"cwd not restored: {Path.cwd()} != {original_cwd}")

    if failure is not None:
        pytest.fail(f"verify_many raised instead of returning verdicts: {failure!r}", pytrace=False)
    verdicts = list(verdicts)
    if len(verdicts) != len(programs):
        pytest.fail(f"verify_many returned {len(verdicts)} verdicts for {len(programs)} programs", pytrace=False)

    # --- files --------------------------------------------------------------
    leftovers = sorted(p.name for p in run_dir.iterdir())
    if leftovers:
        harms["files"].append(f"files appeared in the run cwd {run_dir}: {leftovers[:20]}")
    new_pwned = sorted(pwned_files(pwned_dirs))
    if new_pwned:
        harms["files"].append(f"attack payload files created: {[str(p) for p in new_pwned]}")
        remove_files(new_pwned)

    # --- builtins / canary -----------------------------------------------------
    harms["builtins"] = builtins_diff(builtins_snapshot)
    if CANARY_STATE != canary_snapshot or (id(CANARY_STATE), id(CANARY_STATE["items"])) != canary_ids:
        harms["canary"].append(f"module canary changed: {CANARY_STATE!r}")

    # --- memory / fds ---------------------------------------------------------
    rss_after = proc_status_kb("VmRSS")
    hwm_after = proc_status_kb("VmHWM")
    if rss_before is not None and rss_after is not None and rss_after - rss_before > MAX_RSS_GROWTH_KB:
        harms["memory"].append(f"parent RSS grew by {(rss_after - rss_before) // 1024} MB")
    if (
        rss_before is not None
        and hwm_before is not None
        and hwm_after is not None
        and hwm_after > hwm_before
        and hwm_after - rss_before > MAX_PEAK_RSS_GROWTH_KB
    ):
        harms["memory"].append(f"parent peak RSS grew by {(hwm_after - rss_before) // 1024} MB during the batch")
    fds_after = open_fd_count()
    if fds_before is not None and fds_after is not None and fds_after - fds_before > MAX_NEW_FDS:
        harms["process_state"].append(f"parent leaked {fds_after - fds_before} file descriptors")

    # --- process-wide state -------------------------------------------------
    harms["process_state"] += diff_process_state(state_before, process_state())

    # --- payloads executed in the parent (e.g. via __reduce__) -------------
    parent_output = out_tee.getvalue() + err_tee.getvalue()
    if PWNED_MARKER in parent_output:
        lines = sorted({ln.strip() for ln in parent_output.splitlines() if PWNED_MARKER in ln})
        harms["parent_output"].append(f"attack payload ran in the parent process: {lines}")

    # --- leaked runaway workers -------------------------------------------------
    harms["children"] = runaway_children()

    return BatchResult(verdicts=verdicts, elapsed=elapsed, harms=harms, parent_output=parent_output)


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #


def _describe(v) -> str:
    message = getattr(v, "message", None)
    if isinstance(message, str) and len(message) > 300:
        message = message[:300] + "..."
    return (
        f"valid={getattr(v, 'valid', '?')!r} error_kind={getattr(v, 'error_kind', '?')!r} "
        f"paths={getattr(v, 'paths', '?')!r} line={getattr(v, 'line', '?')!r} message={message!r}"
    )


def _assert_is_verdict(v, what: str) -> None:
    missing = [
        a for a in ("valid", "error_kind", "message", "line", "paths", "exhaustive", "counterexample") if not hasattr(v, a)
    ]
    assert not missing, f"{what}: not a Verdict (missing {missing}): {v!r}"
    assert isinstance(v.valid, bool), f"{what}: valid is not a bool: {_describe(v)}"
    assert isinstance(v.message, str), f"{what}: message is not a str: {_describe(v)}"
    assert v.line is None or isinstance(v.line, int), f"{what}: bad line: {_describe(v)}"
    assert isinstance(v.paths, int) and v.paths >= 0, f"{what}: bad paths: {_describe(v)}"
    assert isinstance(v.exhaustive, bool), f"{what}: bad exhaustive: {_describe(v)}"
    assert v.counterexample is None or isinstance(v.counterexample, dict), f"{what}: bad counterexample"
    if v.valid:
        assert v.error_kind is None, f"{what}: valid verdict with an error_kind: {_describe(v)}"
    else:
        assert v.error_kind in ERROR_KINDS, f"{what}: invalid verdict with unknown error_kind: {_describe(v)}"


def _case_index(case: Case) -> int:
    return CASE_INDEX[case.name]


# --------------------------------------------------------------------------- #
# Tests
# --------------------------------------------------------------------------- #


def test_corpus_is_well_formed():
    assert not CORPUS.problems, "malformed hostile programs:\n" + "\n".join(CORPUS.problems)
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} hostile programs (need >= {MIN_CASES})"
    numbers = [c.number for c in CASES]
    assert numbers == list(range(1, len(CASES) + 1)), "files must be numbered 001, 002, ... without gaps"
    assert any(c.static for c in CASES), "need some '# static:' programs"
    assert any(c.expect == "contained" for c in CASES)

    problems = []
    for case in CASES:
        error = compiles(case.source)
        if case.static == "syntax":
            if error is None:
                problems.append(f"{case.name}: marked 'static: syntax' but compiles on this Python")
            continue
        if error is not None:
            problems.append(f"{case.name}: does not compile ({error!r}); only 'static: syntax' files may")
            continue
        tree = ast.parse(case.source)
        if not any(
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "task_program"
            for node in tree.body
        ):
            problems.append(f"{case.name}: no top-level task_program definition")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_hostile_program(batch, case):
    v = batch.verdicts[2 * _case_index(case)]
    what = f"{case.name} ({case.attack})"
    _assert_is_verdict(v, what)
    if case.expect == "rejected":
        assert v.valid is False, f"ATTACK GOT THROUGH: {what} verified as valid: {_describe(v)}"
        assert v.message.strip(), f"{what}: rejected without a message: {_describe(v)}"
    if case.static:
        assert v.error_kind in STATIC_ERROR_KINDS and v.paths == 0, (
            f"{what}: expected a static rejection (error_kind in {STATIC_ERROR_KINDS}, paths == 0): {_describe(v)}"
        )
        assert not NOT_STATIC_RE.search(v.message), (
            f"{what}: expected a static rejection, but the program ran until a worker limit stopped it: {_describe(v)}"
        )


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_bystander_unaffected(batch, case):
    """The innocent program right after each hostile one still verifies as valid."""
    v = batch.verdicts[2 * _case_index(case) + 1]
    what = f"bystander after {case.name}"
    _assert_is_verdict(v, what)
    assert v.valid, f"{what} was not valid (worker poisoned or collateral damage): {_describe(v)}"


def test_verdicts_are_bounded(batch):
    too_big = []
    for case in CASES:
        v = batch.verdicts[2 * _case_index(case)]
        message = getattr(v, "message", "")
        if isinstance(message, str) and len(message) > MAX_MESSAGE_CHARS:
            too_big.append(f"{case.name}: message has {len(message)} chars")
        cx = getattr(v, "counterexample", None)
        if cx is not None:
            size = len(repr(cx))
            if size > MAX_COUNTEREXAMPLE_REPR_CHARS:
                too_big.append(f"{case.name}: counterexample repr has {size} chars")
    assert not too_big, "verdicts carry unbounded payloads:\n" + "\n".join(too_big)


def test_batch_finished_in_time(batch):
    assert batch.elapsed < BATCH_SOFT_LIMIT_S, (
        f"verify_many took {batch.elapsed:.1f}s for {len(CASES)} hostile programs "
        f"(+{len(CASES)} bystanders); budget is {BATCH_SOFT_LIMIT_S:.0f}s"
    )


def test_parent_cwd_and_files_unharmed(batch):
    problems = batch.harms["cwd"] + batch.harms["files"]
    assert not problems, "\n".join(problems)


def test_parent_builtins_intact(batch):
    assert not batch.harms["builtins"], "\n".join(batch.harms["builtins"])
    for name in ("open", "exec", "eval", "compile", "getattr", "setattr", "__import__", "print", "len"):
        assert callable(getattr(builtins, name, None)), f"builtins.{name} is gone"
    assert builtins.len([1, 2, 3]) == 3
    with open(Path(__file__), encoding="utf-8") as fh:  # real open still works
        assert "test_parent_builtins_intact" in fh.read()


def test_parent_canary_unchanged(batch):
    assert not batch.harms["canary"], "\n".join(batch.harms["canary"])
    assert CANARY_STATE == {"value": CANARY, "items": [1, 2, 3], "nested": {"ok": True}}


def test_parent_memory_did_not_explode(batch):
    assert not batch.harms["memory"], "\n".join(batch.harms["memory"])


def test_parent_process_state_unchanged(batch):
    assert not batch.harms["process_state"], "\n".join(batch.harms["process_state"])


def test_no_payload_ran_in_parent(batch):
    assert not batch.harms["parent_output"], "\n".join(batch.harms["parent_output"])


def test_no_runaway_worker_processes(batch):
    assert not batch.harms["children"], "workers still spinning after verify_many returned:\n" + "\n".join(
        batch.harms["children"]
    )


def test_verifier_still_works_afterwards(batch, verify_many):
    """Last test: after all that abuse (and any worker crashes), plain programs verify fine."""
    programs = [TRIVIAL_PROGRAM] * 4 + [BYSTANDER_PROGRAM] * 2
    verdicts = list(verify_many(programs, workers=WORKERS, paths=PATHS, seed=SEED))
    assert len(verdicts) == len(programs)
    for i, v in enumerate(verdicts):
        _assert_is_verdict(v, f"post-batch program #{i}")
        assert v.valid, f"post-batch program #{i} is not valid: {_describe(v)}"
