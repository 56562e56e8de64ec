"""The zygote: a fork server that runs each job in a fresh, confined child process.

Started by workers.WorkerPool as `python -m roboinstruct.sandbox.worker MEMORY_MB CPU_S SETTINGS`
(inside bubblewrap where available, see isolation.py). It runs trusted code only: it reads a job
frame, imports the job function once ("package.module:function") and calls its optional
`prepare(task)` (trusted warm-up: parse a domain, load a task suite — never the candidate's code),
then forks. The child (one candidate: one program's whole verification or evaluation) closes
every inherited descriptor but its result pipe, takes its resource limits and its OS confinement,
runs the job and exits; nothing it does survives it. The zygote then reads the job's nonce (sent
after the job frame, so the child never had it), the child's result and exit status, and writes
the one reply the parent will accept. JSON (not pickle) crosses every boundary.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import resource
import signal
import sys

from .isolation import Confinement
from .protocol import MAX_REPLY_BYTES, MAX_TASK_BYTES, ProtocolError, frame, read_frame, signal_reason, write_all

FILE_LIMIT = 1024 * 1024
# Packages whose modules a child may ask the zygote to import for the children after it (a job's
# lazy imports, e.g. the physics simulator): our own code and libraries without import side effects.
PRELOADABLE = frozenset({"roboinstruct", "numpy", "pybullet", "pybullet_data", "yaml"})


def _crash(message: str) -> dict:
    return {"crashed": True, "error_kind": "SandboxError", "message": message}


def death_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return signal_reason(os.WTERMSIG(status))
    return f"exited with code {os.WEXITSTATUS(status)}"


def _limit(which: int, soft: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def _resolve(handlers: dict, job: str):
    if job not in handlers:  # trusted: the job is named by our own code
        module, _, func = job.partition(":")
        handlers[job] = getattr(importlib.import_module(module), func)
    return handlers[job]


def _child(handler, task: dict, w: int, devnull: int, confine: Confinement, memory_mb: int, cpu_seconds: int):
    """One candidate's process, forked after the zygote prepared its job: confine, run the job,
    write one reply frame, exit. Runs in the forked child; never returns."""
    data = b""
    try:
        os.dup2(devnull, 0)  # the zygote's job pipe (where the nonce comes next): gone before any job code
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        low = 3  # every other descriptor closed: the result pipe kept, and the mount namespace's until entered
        for fd in sorted(f for f in (w, confine.mount_ns) if f is not None):
            os.closerange(low, fd)
            low = fd + 1
        os.closerange(low, 1 << 20)
        _limit(resource.RLIMIT_AS, memory_mb * 1024 * 1024)
        _limit(resource.RLIMIT_CPU, cpu_seconds)
        _limit(resource.RLIMIT_FSIZE, FILE_LIMIT)
        _limit(resource.RLIMIT_CORE, 0)
        confine.apply()
        # New modules are appended to sys.modules (insertion order): its length finds them; a set of
        # every name would write to each name's refcount, a copy-on-write fault per page they are on
        before = len(sys.modules)
        result = handler(task)
        imported = [] if len(sys.modules) == before else \
            [m for m in list(sys.modules)[before:] if m.partition(".")[0] in PRELOADABLE]
        data = json.dumps({"result": result, "imported": imported[:500]}, default=str).encode()
    except MemoryError:
        data = json.dumps({"result": _crash("memory limit exceeded"), "imported": []}).encode()
    except BaseException as exc:  # noqa: BLE001 - reported as this job's crash
        try:
            data = json.dumps({"result": _crash(f"worker failure: {type(exc).__name__}: {exc}"[:500]),
                               "imported": []}).encode()
        except BaseException:  # noqa: BLE001
            data = b""
    try:
        write_all(w, frame(data))
    finally:
        os._exit(0)


def _collect(pid: int, r: int) -> dict:
    """The child's result: its JSON object (a whole frame: replied at once, the child is reaped
    afterwards), or a crash naming how it ended."""
    try:
        raw = read_frame(r, MAX_REPLY_BYTES)
    except ProtocolError as e:
        raw, problem = None, str(e)
    else:
        problem = None
    os.close(r)
    if raw is None:
        if problem:  # too long or garbled: the child is not to be trusted to stop on its own
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:  # a child handed to `nobody` is not ours to kill (no CAP_KILL): with its reply
                pass  # pipe closed above, its next write fails and it exits; else the pool's watchdog
        _, status = os.waitpid(pid, 0)
        return _crash(f"sandbox worker sent a malformed reply ({problem})" if problem
                      else f"sandbox worker {death_reason(status)}")
    _zombies.append(pid)
    try:
        envelope = json.loads(raw)
    except ValueError:
        return _crash("sandbox worker sent a malformed reply")
    if not isinstance(envelope, dict) or set(envelope) != {"result", "imported"} \
            or not isinstance(envelope["result"], dict) or not isinstance(envelope["imported"], list):
        return _crash("sandbox worker sent a reply that is not a result")
    _learned.extend(m for m in envelope["imported"][:500] if isinstance(m, str))
    return envelope["result"]


_learned: list[str] = []


def _preload() -> None:
    """Import (here, trusted) what the last child imported lazily, so the next children have it:
    only modules of PRELOADABLE packages, whatever the child claimed."""
    while _learned:
        name = _learned.pop()
        parts = name.split(".")
        # never a `__main__` (a script: roboinstruct's runs the CLI at import), nor any dunder part
        if name.partition(".")[0] in PRELOADABLE and name not in sys.modules and name.isascii() \
                and all(part.isidentifier() and not part.startswith("__") for part in parts):
            try:
                importlib.import_module(name)
            except BaseException:  # noqa: BLE001 - not importable here (SystemExit too): the children import it
                pass


_zombies: list[int] = []


def _reap(block: bool = False) -> None:
    """Children that replied are only exiting (os._exit follows their one write; robot programs
    start no threads): reap them when they are done, off the path of the next job."""
    for pid in list(_zombies):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _zombies.remove(pid)


def main() -> None:
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
    cpu_seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    confine = Confinement(json.loads(sys.argv[3]) if len(sys.argv) > 3 else {})
    out = os.dup(1)  # replies go here; fds 1 and 2 of this process and its children go nowhere
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    sys.setrecursionlimit(2000)
    handlers: dict = {}
    frozen = False
    while True:
        _reap(block=len(_zombies) > 4)
        try:
            raw = read_frame(0, MAX_TASK_BYTES)
            if raw is None:
                return
            message = json.loads(raw)
            job_id, task = message["id"], message["task"]
            job = task.pop("job", "")
        except (ProtocolError, ValueError, KeyError, TypeError, AttributeError):
            return  # the parent speaks the protocol or this zygote ends (the parent replaces it)
        pid = r = None
        try:
            handler = _resolve(handlers, job)
            prepare = getattr(handler, "prepare", None)
            if prepare is not None:  # trusted warm-up (parse a domain, load a suite), shared by the children
                prepare(task)
            if gc.get_count()[0] > 500 or not frozen:
                # what the zygote holds stays shared with children (no copy-on-write by the GC). Not
                # gc.get_freeze_count(): it counts by walking every frozen object (~0.5 ms a job here)
                gc.freeze()
                frozen = True
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                _child(handler, task, w, devnull, confine, memory_mb, cpu_seconds)
            os.close(w)
            result = None
        except Exception as exc:  # noqa: BLE001 - a job that cannot start is that job's crash
            result = _crash(f"sandbox job cannot start: {type(exc).__name__}: {exc}"[:500])
        try:
            nonce = read_frame(0, 256)  # only now: the child that runs the job never had it
        except ProtocolError:
            nonce = None
        if nonce is None:
            if pid:
                os.kill(pid, signal.SIGKILL)
            return
        if result is None:
            result = _collect(pid, r)
        reply = {"id": job_id, "nonce": nonce.decode("ascii", "replace"), "result": result}
        write_all(out, frame(json.dumps(reply, default=str).encode()))
        _preload()


if __name__ == "__main__":
    main()
