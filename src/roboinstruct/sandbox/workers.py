"""The parent's side of the sandbox: a pool of zygotes, one fresh child per job, replies checked.

Each pool slot is a zygote (roboinstruct.sandbox.worker) — started inside bubblewrap when the
machine allows it (isolation.py) — that forks one confined child per job, so a candidate (one
program's whole verification or evaluation) never shares a process with another. The child has
an address-space limit, a CPU-seconds limit (CPU time, not wall time, stops a runaway), a
file-size limit, no stdout/stderr, and its OS confinement. A child that dies (memory bomb, CPU
bomb, hard crash) costs one verdict — `SandboxError`; a zygote that dies or says anything but a
well-formed reply to the job it was given, with that job's nonce (protocol.check_reply, and the
caller's own `check` of the result), costs that one job too and is replaced — never the batch,
never an exception in the parent. The parent never runs a program itself. Zygotes are plain
subprocesses, not multiprocessing children, so they work from any script, REPL or test runner.
A generous wall-clock watchdog exists only so a wedged worker cannot hang a run.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import signal
import subprocess
import sys
import time
from collections import deque
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import isolation
from .protocol import MAX_REPLY_BYTES, ProtocolError, check_reply, frame, read_frame, signal_reason

DEFAULT_MEMORY_MB = 2048
DEFAULT_CPU_SECONDS = 10
WATCHDOG_SECONDS = 600
# Top-level task fields whose value is the same for many jobs (a robot domain's declaration, ~17 KB,
# one per run): sent to each zygote once, then named by reference (see worker.py). Taken as
# immutable: the same object again is not encoded again.
SHARED_KEYS = ("domain",)
MAX_SHARED = 16  # distinct shared values per zygote; more are sent inline
_PKG_ROOT = str(Path(__file__).resolve().parents[2])  # the folder that holds `roboinstruct`
THREAD_POOLS_OFF = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _death_reason(code: int | None) -> str:
    return signal_reason(-code) if code is not None and code < 0 else f"exited with code {code}"


def _crash(message: str) -> dict:
    return {"crashed": True, "error_kind": "SandboxError", "message": message}


class _Worker:
    """One zygote process and the job it is on."""

    def __init__(self, memory_mb: int, cpu_seconds: int, spares: str = "never"):
        prefix, settings = isolation.zygote_prefix()
        # A minimal environment: nothing secret is there to read even if a program escaped.
        env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ}
        env["ROBOINSTRUCT_SANDBOX_SPARES"] = spares
        env["HOME"] = "/nonexistent"
        env["PYTHONPATH"] = os.pathsep.join([_PKG_ROOT, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        # Candidate children may not start threads (isolation.CANDIDATE_THREADS): numerical libraries
        # decide their pool size when the zygote imports them, so one thread each, from the start
        # (OpenBLAS that wants a second thread in a child that cannot have one aborts the candidate).
        env.update(THREAD_POOLS_OFF)
        self.proc = subprocess.Popen(
            [*prefix, sys.executable, "-m", "roboinstruct.sandbox.worker", str(memory_mb), str(cpu_seconds),
             json.dumps(settings)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, cwd="/", close_fds=True, start_new_session=True, bufsize=0)
        self.isolated = bool(prefix)
        self.shared_refs: dict[bytes, int] = {}  # encoded value -> the zygote's reference
        self.shared_ids: dict[int, tuple[object, int]] = {}  # id(value) -> (value kept alive, reference)
        self.task: int | None = None
        self.nonce = ""
        self.started = 0.0

    def send(self, idx: int, task: dict) -> None:
        self.nonce = secrets.token_hex(16)  # kept here; the zygote gets it only after forking the child
        frames: list[bytes] = []
        refs = {}
        for key in SHARED_KEYS:
            if isinstance(task.get(key), dict):
                ref = self._shared(task[key], frames)
                if ref is not None:
                    refs[key] = ref
        message = {"id": idx, "task": {k: v for k, v in task.items() if k not in refs}}
        if refs:
            message["shared"] = refs
        frames += [frame(json.dumps(message).encode()), frame(self.nonce.encode())]
        self.proc.stdin.write(b"".join(frames))
        self.task, self.started = idx, time.monotonic()

    def _shared(self, value: dict, frames: list[bytes]) -> int | None:
        """The zygote's reference for a shared value, defining it there first if new (None: inline)."""
        known = self.shared_ids.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        encoded = json.dumps(value).encode()
        ref = self.shared_refs.get(encoded)
        if ref is None:
            if len(self.shared_refs) >= MAX_SHARED:
                return None
            ref = self.shared_refs[encoded] = len(self.shared_refs)
            frames.append(frame(b'{"define": %d, "value": %s}' % (ref, encoded)))
        if len(self.shared_ids) < 4 * MAX_SHARED:
            self.shared_ids[id(value)] = (value, ref)
        return ref

    def receive(self) -> tuple[dict | None, str | None]:
        try:
            raw = read_frame(self.proc.stdout.fileno(), MAX_REPLY_BYTES + 4096)
        except (ProtocolError, OSError) as e:
            return None, str(e)
        return check_reply(raw, self.task, self.nonce)

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the zygote's session: bubblewrap, zygote, child
            except OSError:
                self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


def spares_for(workers: int) -> str:
    """Whether a zygote forks the next job's child ahead (a spare, see worker.py): the environment's
    ROBOINSTRUCT_SANDBOX_SPARES ("always"/"never") when set, else only while the pool leaves a core
    free for it (fewer zygotes than the CPUs this process may use). Measured (evaluator, one zygote,
    ms/program): 2 idle cores, spares 3.4-4.1 vs none 4.3-5.0; one core, spares 6.4-8.2 vs none
    5.5-5.8 (a spare's fork and warm-up then take the job's own core). The machine's momentary
    load was a poor guide: our own parent, zygote and child made it decline spares on an idle machine."""
    chosen = os.environ.get("ROBOINSTRUCT_SANDBOX_SPARES", "auto")
    if chosen in ("always", "never"):
        return chosen
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return "always" if workers < cpus else "never"


class WorkerPool:
    """A fixed set of sandbox zygotes; `run` yields (index, result dict) as tasks finish.

    A task is a JSON-able dict whose "job" is "package.module:function" (see worker.py); each runs
    in its own fresh child process. A result is the job's dict, or {"crashed": True, "error_kind":
    "SandboxError", "message": ...} when the job's process died, or its reply was malformed,
    forged, for another job, or refused by `check` (a callable result -> None or why not).
    """

    def __init__(self, workers: int | None = None, memory_mb: int = DEFAULT_MEMORY_MB,
                 cpu_seconds: int = DEFAULT_CPU_SECONDS, watchdog_seconds: float = WATCHDOG_SECONDS):
        self.size = max(1, workers or os.cpu_count() or 1)
        self.memory_mb, self.cpu_seconds, self.watchdog = memory_mb, cpu_seconds, watchdog_seconds
        self.workers: list[_Worker] = []
        self.restarts = 0
        isolation.zygote_prefix()  # refuse now (require_isolation), not at the first task

    def _spawn(self) -> _Worker:
        return _Worker(self.memory_mb, self.cpu_seconds, spares_for(self.size))

    def run(self, tasks: Iterable[dict], check: Callable[[dict], str | None] | None = None) -> Iterator[tuple[int, dict]]:
        pending = deque(enumerate(tasks))
        for w in list(self.workers):
            if w.task is not None:  # a job of a run whose caller stopped reading: its reply would be misread
                self._replace(w)
        while len(self.workers) < min(self.size, len(pending)):
            self.workers.append(self._spawn())
        busy: dict[int, _Worker] = {}  # stdout fd -> worker

        def feed() -> None:
            for w in list(self.workers):
                if w.task is None and pending:
                    idx, task = pending.popleft()
                    try:
                        w.send(idx, task)
                    except (OSError, ValueError):  # died while idle: replace it, retry the task
                        pending.appendleft((idx, task))
                        self._replace(w)
                        continue
                    busy[w.proc.stdout.fileno()] = w

        while pending or busy:
            feed()
            ready, _, _ = select.select(list(busy), [], [], 5.0)
            for fd in list(busy):
                w = busy[fd]
                result = None
                if fd in ready:
                    result, problem = w.receive()
                    if result is not None and result.get("crashed"):
                        result = _crash_report(result)
                    if result is not None and check is not None:
                        problem = _checked(check, result)
                        result = None if problem else result
                    if result is None:
                        alive = w.proc.poll() is None
                        w.kill()
                        result = _crash(f"sandbox worker {_death_reason(w.proc.returncode)}" if not alive or problem
                                        == "no reply" else f"sandbox worker reply refused: {problem}")
                        self._replace(w)
                elif time.monotonic() - w.started > self.watchdog:
                    result = _crash(f"sandbox worker exceeded the {self.watchdog:.0f} s watchdog")
                    self._replace(w)
                if result is not None:
                    idx = w.task
                    w.task = None
                    del busy[fd]
                    feed()  # the next job runs while the caller judges this result
                    yield idx, result

    def _replace(self, w: _Worker) -> None:
        w.kill()
        self.workers[self.workers.index(w)] = self._spawn()
        self.restarts += 1

    def close(self) -> None:
        for w in self.workers:
            try:
                w.proc.stdin.close()
            except OSError:
                pass
        for w in self.workers:
            try:
                w.proc.wait(2)
            except subprocess.TimeoutExpired:
                pass
            w.kill()
        self.workers = []

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


CRASH_MESSAGE_LIMIT = 2000


def _crash_report(result: dict) -> dict:
    """A result that says it is a crash, as the pool's own crash reports are: its message text (bounded)
    or a word that it had none. A child can write one (it is its job's crash either way), but not one
    whose message is a list nested past the caller's recursion limit, an object or 8 MB of text."""
    message = result.get("message")
    if not isinstance(message, str):
        return _crash("sandbox worker sent a malformed crash report")
    return _crash(message[:CRASH_MESSAGE_LIMIT])


def _checked(check: Callable[[dict], str | None], result: dict) -> str | None:
    try:
        return check(result)
    except Exception as e:  # noqa: BLE001 - a result the caller's check chokes on is malformed
        return f"malformed result ({type(e).__name__}: {e})"[:300]
