"""What runs in a candidate's own process, forked by the zygote (worker.py): descriptors closed,
limits and OS confinement taken before any untrusted code, the one job run, one reply frame
written, exit. Nothing it does survives it.

Two ways in. `run`: forked after the zygote read and prepared the job (the task is in memory).
`wait_then_run`: a spare forked ahead, while the previous candidate was still running — it takes
its limits and confinement at once, then waits on a pipe of its own for its job, which the zygote
hands it as the parent sent it (the frame's JSON; shared values by reference to the zygote's copy,
which the fork gave it). The spare saves the fork and the confinement on the path of each job; it
runs nothing of a candidate before the one job it is handed, and it is discarded (its pipe closed:
it exits without a word) when the zygote learned something since it was forked. While it waits it
runs its job function's `warm` (trusted, like `prepare`: a fixed program of our own through the
job's own path, never a candidate's), so the pages a job writes are copied from the zygote before
the job comes: about 600 copy-on-write faults, 1.2 to 1.7 ms a program, off each job's path.

Either way the child never has the zygote's job stream (fd 0, where each job's nonce arrives after
the fork), nor any descriptor but its own pipes.
"""

from __future__ import annotations

import json
import os
import re
import resource
import sys

from .isolation import Confinement
from .protocol import MAX_TASK_BYTES, frame, read_frame, write_all

FILE_LIMIT = 1024 * 1024
# Tasks (processes and threads) of the child's uid, all its `nobody` siblings on the machine counted
# together. Where seccomp is in place a child starts no thread at all (isolation.CANDIDATE_THREADS);
# where it is not, this bounds them: without it, the threads of one child that got past the Python
# layer took every PID of the host (32768 here), and held them until the watchdog.
TASK_LIMIT = max(4096, 256 * (os.cpu_count() or 1))
# Descriptors: a pipe's buffer is kernel memory outside the address-space limit, so the number of
# descriptors bounds what a child can hold there (1024: at most 512 pipes, ~32 MB; the inherited limit
# was 20000 here and is 1M under Docker's default, ~4 GB of pipe buffers per child).
FD_LIMIT = 1024
# Packages whose modules a child may ask the zygote to import for the children after it (a job's
# lazy imports, e.g. the physics simulator): our own code and libraries without import side effects, and
# (worker._OursOnly) only where all they import is of these packages or the standard library.
PRELOADABLE = frozenset({"roboinstruct", "numpy", "pybullet", "pybullet_data", "yaml"})


def crash(message: str) -> dict:
    return {"crashed": True, "error_kind": "SandboxError", "message": message}


def _limit(which: int, soft: int, above: int = 0) -> None:
    """The limit, soft and hard: any process may raise its soft limit up to its hard one, so a hard
    limit left unlimited was one an escaped child lifted its own memory, CPU and file-size limits to.
    `above`: the hard limit that far over the soft one (CPU: SIGXCPU at the soft limit names the
    cause; the hard one kills a child that ignores it)."""
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
        above = min(above, hard - soft)
    resource.setrlimit(which, (soft, soft + above))


def _confine(keep: tuple[int, ...], devnull: int, confine: Confinement, memory_mb: int, cpu_seconds: int) -> None:
    os.dup2(devnull, 0)  # the zygote's job stream (where nonces come): gone before anything else
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    low = 3  # every other descriptor closed: our pipes kept, and the mount namespace's until entered
    for fd in sorted(f for f in (*keep, confine.mount_ns) if f is not None):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 20)
    _limit(resource.RLIMIT_AS, memory_mb * 1024 * 1024)
    _limit(resource.RLIMIT_CPU, cpu_seconds, above=1)
    _limit(resource.RLIMIT_FSIZE, FILE_LIMIT)
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_NPROC, TASK_LIMIT)
    _limit(resource.RLIMIT_NOFILE, FD_LIMIT)
    confine.apply()


# The recursion depth a job may use, counted from `_outcome`, where both ways in meet. The zygote's
# absolute limit left a spare (forked inside `_Spare.__init__`, deeper in the zygote's stack) two
# frames fewer than a child forked for its job: a program or task file recursing near the limit was
# valid in one and refused in the other, its verdict set by its place in the batch and by whether the
# jobs before it left the spare usable. The value keeps what a child forked for its job had.
JOB_DEPTH = 1991


def _depth() -> int:
    """The interpreter's recursion depth here (what its limit is compared with: a call made through C,
    like the class call that runs `_Spare.__init__`, counts twice, so walking the frames undercounts).
    The refusal of a limit below it names it; about 2 us."""
    try:
        sys.setrecursionlimit(1)
    except RecursionError as e:
        found = re.search(r"recursion depth (\d+)", str(e))
        if found:
            return int(found.group(1))
    frame, n = sys._getframe(1), 0
    while frame is not None:  # another wording: the Python frames, nearly the same
        frame, n = frame.f_back, n + 1
    return n


def _outcome(handler, task: dict) -> bytes:
    sys.setrecursionlimit(_depth() + JOB_DEPTH)
    # New modules are appended to sys.modules (insertion order): its length finds them; a set of
    # every name would write to each name's refcount, a copy-on-write fault per page they are on
    before = len(sys.modules)
    result = handler(task)
    imported = [] if len(sys.modules) == before else \
        [m for m in list(sys.modules)[before:] if m.partition(".")[0] in PRELOADABLE]
    return json.dumps({"result": result, "imported": imported[:500]}, default=str).encode()


def _failed(exc: BaseException) -> bytes:
    try:
        message = "memory limit exceeded" if isinstance(exc, MemoryError) else \
            f"worker failure: {type(exc).__name__}: {exc}"[:500]
        return json.dumps({"result": crash(message), "imported": []}).encode()
    except BaseException:  # noqa: BLE001
        return b""


def _finish(w: int, data: bytes):
    try:
        write_all(w, frame(data))
    finally:
        os._exit(0)


def run(handler, task: dict, w: int, devnull: int, confine: Confinement, memory_mb: int, cpu_seconds: int):
    """A child forked for a job the zygote holds: confine, run it, reply on `w`. Never returns."""
    try:
        _confine((w,), devnull, confine, memory_mb, cpu_seconds)
        data = _outcome(handler, task)
    except BaseException as exc:  # noqa: BLE001 - reported as this job's crash (never run unconfined)
        data = _failed(exc)
    _finish(w, data)


def wait_then_run(handlers: dict, shared: dict, r: int, w: int, devnull: int, confine: Confinement,
                  memory_mb: int, cpu_seconds: int, warm=None):
    """A spare: confine now, warm up (`warm`: a no-argument callable of trusted code, or None), then
    read one job frame on `r` and run it, reply on `w`; end of file on `r` (discarded): exit without
    a reply. Never returns."""
    try:
        _confine((r, w), devnull, confine, memory_mb, cpu_seconds)
        if warm is not None:
            try:
                warm()
            except Exception:  # noqa: BLE001 - a warm-up that fails warms less, that is all
                pass
        raw = read_frame(r, MAX_TASK_BYTES)
        if raw is None:
            os._exit(0)
        os.close(r)
        message = json.loads(raw)
        task = message["task"]
        for key, ref in message.get("shared", {}).items():
            task[key] = shared[ref]  # the zygote's own object (see worker.main): its lookups by identity hold
        data = _outcome(handlers[task.pop("job", "")], task)  # the zygote hands a spare only jobs it had resolved
    except BaseException as exc:  # noqa: BLE001
        data = _failed(exc)
    _finish(w, data)
