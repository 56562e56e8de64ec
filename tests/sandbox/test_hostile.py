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
import io
import os
import random
import re
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

try:  # POSIX only; the sandbox itself relies on rlimits anyway.
    import resource
except ImportError:  # pragma: no cover
    resource = None

HERE = Path(__file__).resolve().parent
HOSTILE_DIR = HERE / "hostile"
REPO_ROOT = HERE.parent.parent

WORKERS = 2
PATHS = 20
SEED = 0

MIN_CASES = 60
FILE_NAME_RE = re.compile(r"^(\d{3})_[a-z0-9_]+\.py$")
HEADER_RE = re.compile(r"^#\s*([a-z]+):\s*(.*?)\s*$")
REPEAT_START_RE = re.compile(r"^\s*# >>> repeat (\d+)\s*$")
REPEAT_END_RE = re.compile(r"^\s*# <<< repeat\s*$")
NUL_TOKEN = "<<NUL>>"

ERROR_KINDS = {"PythonError", "RobotExecutionError", "StepBudgetExceeded", "SandboxError"}
STATIC_ERROR_KINDS = ("SandboxError", "PythonError")

PWNED_MARKER = "ROBOINSTRUCT-PWNED"
PWNED_GLOB = "PWNED_[0-9][0-9][0-9]"
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
# Corpus loading
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Case:
    name: str  # file stem, used as the pytest id
    number: int
    attack: str
    expect: str  # "rejected" | "contained"
    static: str | None  # None | "yes" | "syntax"
    transforms: tuple[str, ...]
    source: str


@dataclass
class Corpus:
    cases: list[Case] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _expand_repeats(text: str) -> str:
    out: list[str] = []
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        m = REPEAT_START_RE.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not REPEAT_END_RE.match(lines[j]):
            j += 1
        if j == len(lines):
            raise ValueError(f"unterminated '# >>> repeat' block at line {i + 1}")
        out.extend(lines[i + 1 : j] * int(m.group(1)))
        i = j + 1
    return "".join(out)


def _load_case(path: Path) -> Case:
    m = FILE_NAME_RE.match(path.name)
    if not m:
        raise ValueError("file name must look like NNN_short_name.py")
    raw = path.read_text(encoding="utf-8")
    headers: dict[str, str] = {}
    order: list[str] = []
    for line in raw.splitlines():
        hm = HEADER_RE.match(line)
        if not hm:
            break
        key, value = hm.group(1), hm.group(2)
        if key not in {"attack", "expect", "static", "transform"}:
            break  # an ordinary comment; the header is over
        if key in headers:
            raise ValueError(f"duplicate header {key!r}")
        headers[key] = value
        order.append(key)
    if order[:2] != ["attack", "expect"]:
        raise ValueError("first two lines must be '# attack: ...' and '# expect: ...'")
    if not headers["attack"]:
        raise ValueError("empty '# attack:' description")
    expect = headers["expect"].split()[0] if headers["expect"] else ""
    if expect not in ("rejected", "contained"):
        raise ValueError(f"'# expect:' must be rejected|contained, got {headers['expect']!r}")
    static = headers.get("static")
    if static not in (None, "yes", "syntax"):
        raise ValueError(f"'# static:' must be yes|syntax, got {static!r}")
    if static and expect != "rejected":
        raise ValueError("'# static:' only makes sense with '# expect: rejected'")
    transforms = tuple(t.strip() for t in headers.get("transform", "").split(",") if t.strip())
    source = raw
    for t in transforms:
        if t == "nul":
            if NUL_TOKEN not in source:
                raise ValueError(f"transform nul but no {NUL_TOKEN} token")
            source = source.replace(NUL_TOKEN, "\x00")
        else:
            raise ValueError(f"unknown transform {t!r}")
    source = _expand_repeats(source)
    return Case(
        name=path.stem,
        number=int(m.group(1)),
        attack=headers["attack"],
        expect=expect,
        static=static,
        transforms=transforms,
        source=source,
    )


def _load_corpus() -> Corpus:
    corpus = Corpus()
    if not HOSTILE_DIR.is_dir():
        corpus.problems.append(f"missing directory {HOSTILE_DIR}")
        return corpus
    for path in sorted(HOSTILE_DIR.iterdir()):
        if path.name.startswith(".") or path.name == "__pycache__":
            continue
        try:
            corpus.cases.append(_load_case(path))
        except Exception as exc:  # reported by test_corpus_is_well_formed
            corpus.problems.append(f"{path.name}: {exc}")
    return corpus


CORPUS = _load_corpus()
CASES = CORPUS.cases
CASE_IDS = [c.name for c in CASES]
CASE_INDEX = {c.name: i for i, c in enumerate(CASES)}


def _compiles(source: str) -> BaseException | None:
    try:
        compile(source, "<hostile>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return exc
    return None


# --------------------------------------------------------------------------- #
# Parent-process state snapshots
# --------------------------------------------------------------------------- #

_WATCHED_SIGNALS = [
    getattr(signal, n)
    for n in ("SIGINT", "SIGTERM", "SIGCHLD", "SIGXCPU", "SIGALRM", "SIGPIPE", "SIGHUP", "SIGUSR1")
    if hasattr(signal, n)
]
_WATCHED_RLIMITS = [
    n
    for n in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_STACK", "RLIMIT_DATA")
    if resource is not None and hasattr(resource, n)
]
_WATCHED_MODULE_ATTRS = {
    time: ("sleep", "monotonic", "time", "perf_counter", "process_time"),
    random: ("random", "choice", "shuffle", "randrange", "seed"),
    os: ("system", "getcwd", "chdir", "_exit", "kill"),
    sys: ("exit", "settrace", "setrecursionlimit"),
}


def _proc_status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _open_fd_count() -> int | None:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return None


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _process_state() -> dict:
    state = {
        "recursionlimit": sys.getrecursionlimit(),
        "trace": sys.gettrace(),
        "profile": sys.getprofile(),
        "excepthook": sys.excepthook,
        "path": list(sys.path),
        "meta_path": list(sys.meta_path),
        "environ": dict(os.environ),
        "umask": _umask(),
        "modules": {
            n: sys.modules[n] for n in ("os", "sys", "builtins", "time", "random", "subprocess") if n in sys.modules
        },
        "signals": {int(s): signal.getsignal(s) for s in _WATCHED_SIGNALS},
        "rlimits": {n: resource.getrlimit(getattr(resource, n)) for n in _WATCHED_RLIMITS},
        "module_attrs": {
            (m.__name__, a): getattr(m, a, None) for m, attrs in _WATCHED_MODULE_ATTRS.items() for a in attrs
        },
    }
    return state


def _diff_process_state(before: dict, after: dict) -> list[str]:
    harms = []
    for key in ("recursionlimit", "path", "environ", "umask", "rlimits"):
        if before[key] != after[key]:
            if key == "environ":
                changed = sorted(
                    k for k in set(before[key]) | set(after[key]) if before[key].get(k) != after[key].get(k)
                )
                harms.append(f"os.environ changed: {changed}")
            else:
                harms.append(f"{key} changed: {before[key]!r} -> {after[key]!r}")
    for key in ("trace", "profile", "excepthook"):
        if before[key] is not after[key]:
            harms.append(f"sys.{key} changed: {before[key]!r} -> {after[key]!r}")
    if before["meta_path"] != after["meta_path"]:
        harms.append("sys.meta_path changed")
    for group in ("modules", "signals", "module_attrs"):
        for k, v in before[group].items():
            if after[group].get(k) is not v:
                harms.append(f"{group}[{k!r}] changed: {v!r} -> {after[group].get(k)!r}")
    return harms


def _builtins_diff(before: dict) -> list[str]:
    now = vars(builtins)
    harms = [f"builtins.{k} replaced" for k, v in before.items() if now.get(k, _MISSING) is not v]
    harms += [f"builtins.{k} added" for k in now if k not in before and not k.startswith("_")]
    return harms


_MISSING = object()


def _pwned_files(dirs: list[Path]) -> set[Path]:
    found = set()
    for d in dirs:
        try:
            found.update(p for p in d.glob(PWNED_GLOB) if p.is_file())
        except OSError:
            pass
    return found


def _remove_files(paths) -> None:
    for p in paths:
        try:
            p.unlink()
        except OSError:
            pass


def _children_of(pid: int) -> dict[int, int]:
    """Descendant pid -> accumulated CPU ticks (utime + stime), via /proc."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return {}
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) < 13 or fields[0] == "Z":  # zombies are harmless here
            continue
        parents[int(entry)] = int(fields[1])
        ticks[int(entry)] = int(fields[11]) + int(fields[12])
    result, frontier = {}, {pid}
    while frontier:
        nxt = {p for p, pp in parents.items() if pp in frontier and p not in result}
        for p in nxt:
            result[p] = ticks[p]
        frontier = nxt
    return result


def _runaway_children(settle_s: float = 2.0, sample_s: float = 1.0) -> list[str]:
    """Descendants still burning CPU after verify_many returned (leaked hung workers)."""
    if not os.path.isdir("/proc"):
        return []
    deadline = time.monotonic() + settle_s
    while _children_of(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.2)
    first = _children_of(os.getpid())
    if not first:
        return []
    time.sleep(sample_s)
    second = _children_of(os.getpid())
    hz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    runaway = []
    for pid, t0 in first.items():
        t1 = second.get(pid)
        if t1 is not None and (t1 - t0) / hz > 0.5 * sample_s:
            runaway.append(f"pid {pid} still using {(t1 - t0) / hz / sample_s:.0%} CPU")
    return runaway


class _Tee(io.StringIO):
    """Records everything the *parent* writes to sys.stdout/stderr, and forwards it."""

    def __init__(self, original):
        super().__init__()
        self._original = original

    def write(self, s):
        try:
            self._original.write(s)
        except Exception:
            pass
        return super().write(s)

    def flush(self):
        try:
            self._original.flush()
        except Exception:
            pass

    def fileno(self):
        return self._original.fileno()

    def isatty(self):
        return False

    @property
    def encoding(self):
        return getattr(self._original, "encoding", None) or "utf-8"


class _BatchTimeout(Exception):
    pass


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
    _remove_files(_pwned_files(pwned_dirs))

    programs: list[str] = []
    for case in CASES:
        programs.append(case.source)
        programs.append(BYSTANDER_PROGRAM)

    canary_snapshot = copy.deepcopy(CANARY_STATE)
    canary_ids = (id(CANARY_STATE), id(CANARY_STATE["items"]))
    builtins_snapshot = dict(vars(builtins))
    rss_before = _proc_status_kb("VmRSS")
    hwm_before = _proc_status_kb("VmHWM")
    fds_before = _open_fd_count()
    state_before = _process_state()

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
        raise _BatchTimeout(f"verify_many did not return within {BATCH_WATCHDOG_S:.0f}s")

    out_tee, err_tee = _Tee(sys.stdout), _Tee(sys.stderr)
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
    new_pwned = sorted(_pwned_files(pwned_dirs))
    if new_pwned:
        harms["files"].append(f"attack payload files created: {[str(p) for p in new_pwned]}")
        _remove_files(new_pwned)

    # --- builtins / canary -----------------------------------------------------
    harms["builtins"] = _builtins_diff(builtins_snapshot)
    if CANARY_STATE != canary_snapshot or (id(CANARY_STATE), id(CANARY_STATE["items"])) != canary_ids:
        harms["canary"].append(f"module canary changed: {CANARY_STATE!r}")

    # --- memory / fds ---------------------------------------------------------
    rss_after = _proc_status_kb("VmRSS")
    hwm_after = _proc_status_kb("VmHWM")
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
    fds_after = _open_fd_count()
    if fds_before is not None and fds_after is not None and fds_after - fds_before > MAX_NEW_FDS:
        harms["process_state"].append(f"parent leaked {fds_after - fds_before} file descriptors")

    # --- process-wide state -------------------------------------------------
    harms["process_state"] += _diff_process_state(state_before, _process_state())

    # --- payloads executed in the parent (e.g. via __reduce__) -------------
    parent_output = out_tee.getvalue() + err_tee.getvalue()
    if PWNED_MARKER in parent_output:
        lines = sorted({ln.strip() for ln in parent_output.splitlines() if PWNED_MARKER in ln})
        harms["parent_output"].append(f"attack payload ran in the parent process: {lines}")

    # --- leaked runaway workers -------------------------------------------------
    harms["children"] = _runaway_children()

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
        error = _compiles(case.source)
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
