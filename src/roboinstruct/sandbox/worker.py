"""The zygote: a fork server that runs each job in a fresh, confined child process.

Started by workers.WorkerPool as `python -m roboinstruct.sandbox.worker MEMORY_MB CPU_S SETTINGS`
(inside bubblewrap where available, see isolation.py). It runs trusted code only: it reads a job
frame, imports the job function once ("package.module:function") and calls its optional
`prepare(task)` (trusted warm-up: parse a domain, load a task suite — never the candidate's code),
then hands the job to a fresh child (child.py: one candidate, one program's whole verification or
evaluation), which closes every inherited descriptor but its own pipes, takes its resource limits
and its OS confinement, runs the job and exits; nothing it does survives it. The zygote then reads
the job's nonce (sent after the job frame, so the child never had it), the child's result and exit
status, and writes the one reply the parent will accept. JSON (not pickle) crosses every boundary.

When the pool leaves a core free (workers.spares_for), the child is a spare forked while the previous candidate ran
(child.wait_then_run), so the fork and the confinement are off each job's path. A spare is used
only when the zygote has learned nothing since it forked it (`epoch`: a new job function, a shared
value, a `prepare` that built something, a learned import); otherwise it is discarded and a child
is forked for the job. A job must work whatever its zygote prepared (`prepare` is a warm-up, never
a requirement). With a pool slot per core there is no free core and no spares: they help where a
pool leaves cores idle (one slot, a single verification).

Values the parent marks as shared (workers.SHARED_KEYS: a domain declaration, the same for every
program of a run) come once per zygote as {"define": ref, "value": ...} frames; a job names them by
reference and gets the zygote's one parsed object (no parse, and lookups by identity hold).
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import sys

from . import child
from .child import PRELOADABLE, crash as _crash
from .isolation import Confinement
from .protocol import MAX_REPLY_BYTES, MAX_TASK_BYTES, ProtocolError, frame, read_frame, signal_reason, write_all


def death_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return signal_reason(os.WTERMSIG(status))
    return f"exited with code {os.WEXITSTATUS(status)}"


def _resolve(handlers: dict, job: str):
    if job not in handlers:  # trusted: the job is named by our own code
        module, _, func = job.partition(":")
        handlers[job] = getattr(importlib.import_module(module), func)
    return handlers[job]


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
            _kill(pid)
        _, status = os.waitpid(pid, 0)
        return _crash(f"sandbox worker sent a malformed reply ({problem})" if problem
                      else f"sandbox worker {death_reason(status)}")
    # Replied: an honest child is only exiting (os._exit follows its one write); one that wrote its reply
    # itself and stayed would live beside the next candidates (signal or starve them) and stall `_reap`
    _kill(pid)
    _zombies.append(pid)
    try:
        envelope = json.loads(raw)
    except (ValueError, RecursionError):  # deep nesting too: this job's crash, never the zygote's end
        return _crash("sandbox worker sent a malformed reply")
    if not isinstance(envelope, dict) or set(envelope) != {"result", "imported"} \
            or not isinstance(envelope["result"], dict) or not isinstance(envelope["imported"], list):
        return _crash("sandbox worker sent a reply that is not a result")
    _learned.extend(m for m in envelope["imported"][:500] if isinstance(m, str))
    return envelope["result"]


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:  # gone already
        pass


_learned: list[str] = []


class _OursOnly:
    """A finder first on sys.meta_path while the zygote preloads: the child named the module, our code
    decides what it imports, but only modules of PRELOADABLE packages, the standard library and the
    packages this zygote's trusted code imported already (a `prepare`'s) may be imported on a child's
    word. A module of ours that imports anything else (the policy-learning code imports torch: about
    540 MB of mappings every later child would start with, under its memory limit) is not preloaded;
    the children that need it import it themselves."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        top = name.partition(".")[0]
        if top in PRELOADABLE or top in sys.stdlib_module_names or top in sys.modules:
            return None  # the usual finders decide
        raise ImportError(f"{name} is not preloaded on a child's word")


def _preload() -> bool:
    """Import (here, trusted) what the last child imported lazily, so the next children have it:
    only modules of PRELOADABLE packages, whatever the child claimed, and only where everything they
    import is too (`_OursOnly`). True when it imported any."""
    count = len(sys.modules)
    if not _learned:
        return False
    sys.meta_path.insert(0, _OursOnly)
    try:
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
    finally:
        sys.meta_path.remove(_OursOnly)
    return len(sys.modules) != count


_zombies: list[int] = []
_swept: set[int] = set()  # spares the sweep reaped before they were handed a job (dead while waiting)


def _reap(block: bool = False, spares: tuple = ()) -> None:
    """Children that replied are only exiting (os._exit follows their one write; robot programs
    start no threads): reap them when they are done, off the path of the next job. Then every other
    exited child: where seccomp is missing a child can fork, and what it leaves behind is reparented
    to the zygote, its namespace's PID 1 (bubblewrap --as-pid-1); unreaped, those zombies would hold
    the task limit of `nobody` against every later candidate. Called between jobs, when no candidate
    is in flight: a sweep can only take a spare (`spares`: their pids), which then counts as gone."""
    _sweep(spares)
    for pid in list(_zombies):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _zombies.remove(pid)


def _sweep(spares: tuple) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return
        if pid in _zombies:
            _zombies.remove(pid)
        elif pid in spares:  # died waiting: its discard must not wait on the pid again (reused by then)
            _swept.add(pid)


class _Spare:
    """A child forked ahead of its job, confined, waiting on its own pipe (child.wait_then_run)."""

    def __init__(self, handlers: dict, shared: dict, devnull: int, confine: Confinement, limits: tuple, epoch: int,
                 warm=None):
        task_r, task_w = os.pipe()
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (task_r, task_w, r, w):
                os.close(fd)
            raise
        if pid == 0:
            child.wait_then_run(handlers, shared, task_r, w, devnull, confine, *limits, warm=warm)
        os.close(task_r)
        os.close(w)
        self.pid, self.task_w, self.r, self.epoch = pid, task_w, r, epoch

    def hand(self, raw: bytes) -> bool:
        """Give it the job frame; False when it is gone (died waiting: nobody waits for its reply)."""
        try:
            write_all(self.task_w, frame(raw))
            return True
        except OSError:
            return False
        finally:
            _close(self.task_w)  # it needs nothing more on it
            self.task_w = None

    def discard(self) -> None:
        if self.task_w is not None:
            _close(self.task_w)  # end of file: it exits without a word
            self.task_w = None
        _close(self.r)
        if self.pid in _swept:
            _swept.discard(self.pid)
        else:
            _zombies.append(self.pid)


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


# "always" (fork the next job's child ahead, while this one runs) or "never": the pool's choice
# (workers.spares_for), passed in the environment
SPARES = os.environ.get("ROBOINSTRUCT_SANDBOX_SPARES", "never")


def _warm_up(handler, task: dict, result):
    """The spare's warm-up for a job like this one: the job function's `warm(task)` (trusted code of
    ours: it reads the task's trusted settings, a domain or a suite, and runs a fixed program of our
    own, never the task's), or None."""
    warm = getattr(handler, "warm", None) if result is None else None
    return None if warm is None else (lambda: warm(task))


def _heap_mark() -> tuple:
    """Changes when code built lasting objects (a gen-0 count that grew, or a collection ran)."""
    return gc.get_stats()[0]["collections"], gc.get_count()[0]


def _built(mark: tuple) -> bool:
    now = _heap_mark()
    return now[0] != mark[0] or now[1] - mark[1] > 50


def main() -> None:
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
    cpu_seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    confine = Confinement(json.loads(sys.argv[3]) if len(sys.argv) > 3 else {})
    limits = (memory_mb, cpu_seconds)
    out = os.dup(1)  # replies go here; fds 1 and 2 of this process and its children go nowhere
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    sys.setrecursionlimit(2000)
    handlers: dict = {}
    shared: dict = {}  # ref -> value, defined by the parent once per zygote
    frozen = False
    epoch = 0  # what the zygote knows; a spare forked at another epoch is stale
    spare: _Spare | None = None
    while True:
        _reap(block=len(_zombies) > 4, spares=(spare.pid,) if spare is not None else ())
        try:
            raw = read_frame(0, MAX_TASK_BYTES)
            if raw is None:
                return
            message = json.loads(raw)
            if "define" in message:
                if len(shared) >= 64:
                    return  # the parent keeps fewer (workers.MAX_SHARED): not our parent's protocol
                shared[int(message["define"])] = message["value"]
                epoch += 1
                continue
            job_id, task = message["id"], message["task"]
            for key, ref in message.get("shared", {}).items():
                task[key] = shared[ref]
            job = task.pop("job", "")
        except (ProtocolError, ValueError, KeyError, TypeError, AttributeError):
            return  # the parent speaks the protocol or this zygote ends (the parent replaces it)
        pid = r = handler = None
        try:
            if job not in handlers:
                epoch += 1
            handler = _resolve(handlers, job)
            prepare = getattr(handler, "prepare", None)
            if prepare is not None:  # trusted warm-up (parse a domain, load a suite), shared by the children
                mark = _heap_mark()
                prepare(task)
                epoch += _built(mark)
            if gc.get_count()[0] > 500 or not frozen:
                # what the zygote holds stays shared with children (no copy-on-write by the GC). Not
                # gc.get_freeze_count(): it counts by walking every frozen object (~0.5 ms a job here)
                gc.freeze()
                frozen = True
            current, spare = spare, None
            if current is not None and current.epoch == epoch and current.hand(raw):
                pid, r = current.pid, current.r
            else:
                if current is not None:
                    current.discard()
                r, w = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(r)
                    child.run(handler, task, w, devnull, confine, memory_mb, cpu_seconds)
                os.close(w)
            result = None
        except Exception as exc:  # noqa: BLE001 - a job that cannot start is that job's crash
            result = _crash(f"sandbox job cannot start: {type(exc).__name__}: {exc}"[:500])
        if spare is None and SPARES == "always":
            try:  # the next job's child, forked, confined and warmed up while this one runs
                spare = _Spare(handlers, shared, devnull, confine, limits, epoch, _warm_up(handler, task, result))
            except OSError:
                spare = None
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
        try:
            body = json.dumps(reply, default=str).encode()
        except (ValueError, TypeError, RecursionError):  # a result this process cannot encode again
            body = json.dumps({**reply, "result": _crash("sandbox worker sent a reply that cannot be passed on")}).encode()
        write_all(out, frame(body))
        epoch += _preload()


if __name__ == "__main__":
    main()
