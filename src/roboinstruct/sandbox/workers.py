"""Long-lived sandbox worker processes with OS limits.

Each worker (roboinstruct.sandbox.worker) runs jobs one at a time under an
address-space limit, a per-task CPU-seconds limit (CPU time, not wall time, stops a
runaway), a file-size limit, and with its stdout/stderr sent to /dev/null. A worker that
dies (memory bomb, CPU bomb, hard crash) costs one verdict — `SandboxError` — and is
replaced; the parent never runs a program itself. Workers are plain subprocesses, not
multiprocessing children, so they work from any script, REPL or test runner.
A generous wall-clock watchdog exists only so a wedged worker cannot hang a run.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections import deque
from pathlib import Path
from typing import Iterable, Iterator

DEFAULT_MEMORY_MB = 2048
DEFAULT_CPU_SECONDS = 10
WATCHDOG_SECONDS = 600
MAX_REPLY_BYTES = 8 * 1024 * 1024
_PKG_ROOT = str(Path(__file__).resolve().parents[2])  # the folder that holds `roboinstruct`


def _death_reason(code: int | None) -> str:
    if code is not None and code < 0:
        sig = -code
        if sig == signal.SIGXCPU:
            return "CPU time limit exceeded"
        if sig == signal.SIGKILL:
            return "was killed (out of memory or watchdog)"
        if sig == signal.SIGSEGV:
            return "crashed (segmentation fault)"
        return f"was killed by signal {signal.Signals(sig).name}"
    return f"exited with code {code}"


def _crash(message: str) -> dict:
    return {"crashed": True, "error_kind": "SandboxError", "message": message}


class _Worker:
    def __init__(self, memory_mb: int, cpu_seconds: int):
        # A minimal environment: nothing secret is there to read even if a program escaped.
        env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ}
        env["HOME"] = "/nonexistent"
        env["PYTHONPATH"] = os.pathsep.join([_PKG_ROOT, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "roboinstruct.sandbox.worker", str(memory_mb), str(cpu_seconds)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, cwd="/", close_fds=True, start_new_session=True)
        self.task: int | None = None
        self.started = 0.0

    def send(self, task: dict) -> None:
        self.proc.stdin.write((json.dumps(task) + "\n").encode())
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
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


class WorkerPool:
    """A fixed set of sandbox workers; `run` yields (index, result dict) as tasks finish.

    A task is a JSON-able dict whose "job" is "package.module:function" (see worker.py). A result is the
    job's dict, or {"crashed": True, "error_kind": "SandboxError", "message": ...} when the
    worker died on it.
    """

    def __init__(self, workers: int | None = None, memory_mb: int = DEFAULT_MEMORY_MB,
                 cpu_seconds: int = DEFAULT_CPU_SECONDS, watchdog_seconds: float = WATCHDOG_SECONDS):
        self.size = max(1, workers or os.cpu_count() or 1)
        self.memory_mb, self.cpu_seconds, self.watchdog = memory_mb, cpu_seconds, watchdog_seconds
        self.workers: list[_Worker] = []
        self.restarts = 0

    def _spawn(self) -> _Worker:
        return _Worker(self.memory_mb, self.cpu_seconds)

    def run(self, tasks: Iterable[dict]) -> Iterator[tuple[int, dict]]:
        pending = deque(enumerate(tasks))
        while len(self.workers) < min(self.size, len(pending)):
            self.workers.append(self._spawn())
        busy: dict[int, _Worker] = {}  # stdout fd -> worker
        while pending or busy:
            for i, w in enumerate(self.workers):
                if w.task is None and pending:
                    idx, task = pending.popleft()
                    try:
                        w.send(task)
                    except (OSError, ValueError):  # died while idle: replace it, retry the task
                        pending.appendleft((idx, task))
                        self._replace(w)
                        continue
                    w.task, w.started = idx, time.monotonic()
                    busy[w.proc.stdout.fileno()] = w
            ready, _, _ = select.select(list(busy), [], [], 5.0)
            for fd in list(busy):
                w = busy[fd]
                result = None
                if fd in ready:
                    line = w.proc.stdout.readline(MAX_REPLY_BYTES)
                    try:
                        result = json.loads(line) if line.endswith(b"\n") else None
                    except ValueError:
                        result = None
                    if not isinstance(result, dict):
                        w.kill()
                        result = _crash(f"sandbox worker {_death_reason(w.proc.returncode)}")
                        self._replace(w)
                elif time.monotonic() - w.started > self.watchdog:
                    result = _crash(f"sandbox worker exceeded the {self.watchdog:.0f} s watchdog")
                    self._replace(w)
                if result is not None:
                    idx = w.task
                    w.task = None
                    del busy[fd]
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
