"""Sandbox jobs that look at a candidate child's confinement from inside (trusted test code with
every builtin, i.e. what code that got past the Python layer could do): used by test_confinement.py.

`probe` reports the child's credentials, its seccomp and no-new-privs state, what exec-free process
creation and sockets do, and what it sees of /tmp and /dev/shm; its `prepare` (in the zygote) reads
a file in the host's /tmp, which the zygote must still see. `leave` tries to leave something for the
next candidate (files, System V and POSIX IPC objects; in PLACES or the task's "places"); `look`
looks for it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket

MARK = "roboinstruct-sibling"
PLACES = ("/tmp", "/dev/shm", "/var/tmp")
_zygote_read: dict = {}
_libc = ctypes.CDLL(None, use_errno=True)
IPC_CREAT, KEY = 0o1000, 0x5EB1


def _errno_of(fn) -> str:
    try:
        fn()
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    return "ok"


def _status() -> dict:
    fields = {}
    for line in open("/proc/self/status"):
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return {k: fields.get(k) for k in ("Seccomp", "NoNewPrivs", "CapEff", "CapPrm")}


def _c(name: str, *args) -> str:
    ctypes.set_errno(0)
    rc = getattr(_libc, name)(*args)
    return "ok" if rc != -1 else errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))


def _fork() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def probe(task: dict) -> dict:
    tmp = os.statvfs("/tmp")
    return {"uid": os.getresuid(), "gid": os.getresgid(), "status": _status(),
            "fork": _errno_of(_fork), "socket": _errno_of(lambda: socket.socket().close()),
            "unshare": _c("unshare", 0x00020000), "tmp": sorted(os.listdir("/tmp")),
            "dev_shm": sorted(os.listdir("/dev/shm")), "tmp_read_only": bool(tmp.f_flag & os.ST_RDONLY),
            "host_file_here": os.path.exists(task["host_file"]), "zygote_read": _zygote_read.get("host")}


def _prepare(task: dict) -> None:  # trusted, in the zygote: it reads task suites from anywhere, the host's /tmp too
    with open(task["host_file"]) as f:
        _zygote_read["host"] = f.read()


probe.prepare = _prepare


def leave(task: dict) -> dict:
    tag = task["tag"]
    done = {}
    for where in task.get("places", PLACES):
        done[where] = _errno_of(lambda: open(os.path.join(where, f"{MARK}-{tag}"), "w").close())
    done["shmget"] = _c("shmget", KEY, 4096, IPC_CREAT | 0o666)
    done["msgget"] = _c("msgget", KEY, IPC_CREAT | 0o666)
    done["semget"] = _c("semget", KEY, 1, IPC_CREAT | 0o666)
    done["mq_open"] = _c("mq_open", f"/{MARK}-{tag}".encode(), os.O_CREAT | os.O_RDWR, 0o666, None)
    return done


def look(task: dict) -> dict:
    tag = task["tag"]
    found = [w for w in task.get("places", PLACES) if os.path.exists(os.path.join(w, f"{MARK}-{tag}"))]
    ipc = {}
    for kind in ("shm", "msg", "sem"):
        try:
            rows = open(f"/proc/sysvipc/{kind}").read().splitlines()[1:]
        except OSError:
            rows = []
        ipc[kind] = [r.split()[0] for r in rows if r.split() and int(r.split()[0]) == KEY]
    mq = _libc.mq_open(f"/{MARK}-{tag}".encode(), os.O_RDONLY)
    if task.get("clean"):  # the test with the OS layer off ran on the host: remove what it made there
        for where in found:
            os.unlink(os.path.join(where, f"{MARK}-{tag}"))
        for ident, remove in ((_libc.shmget(KEY, 0, 0), lambda i: _libc.shmctl(i, 0, None)),
                              (_libc.msgget(KEY, 0), lambda i: _libc.msgctl(i, 0, None)),
                              (_libc.semget(KEY, 0, 0), lambda i: _libc.semctl(i, 0, 0))):
            if ident != -1:
                remove(ident)  # IPC_RMID
        _libc.mq_unlink(f"/{MARK}-{tag}".encode())
    return {"files": found, "ipc": ipc, "mq": mq != -1}


def way_in(task: dict) -> dict:
    """How this child was started: child.wait_then_run (a spare forked ahead) or child.run."""
    import sys

    frame, names = sys._getframe(1), []
    while frame is not None:
        names.append(frame.f_code.co_name)
        frame = frame.f_back
    return {"spare": "wait_then_run" in names, "fresh": "run" in names, "pid": os.getpid(),
            "domain_id": id(task.get("domain")), "status": _status()}


_warmed: dict | None = None


def warmed(task: dict) -> dict:
    """What this child's warm-up (below) saw, if it ran: a spare runs its job function's `warm` after
    its confinement and before its job comes."""
    return {"warmed": _warmed, "pid": os.getpid()}


def _warm(task: dict) -> None:
    global _warmed
    if task.get("fail"):
        raise RuntimeError("this warm-up fails")
    _warmed = {"pid": os.getpid(), "seccomp": _status()["Seccomp"]}


warmed.warm = _warm


def raise_limits(task: dict) -> dict:
    """Try to lift this child's own resource limits (a soft limit may be raised up to the hard one by
    any process): what the limits are before and after."""
    import resource

    out = {}
    for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_CORE", "RLIMIT_NPROC", "RLIMIT_NOFILE"):
        which = getattr(resource, name)
        before = resource.getrlimit(which)
        try:
            resource.setrlimit(which, (before[1], before[1]))
        except (OSError, ValueError):
            pass
        out[name] = [list(before), list(resource.getrlimit(which))]
    return out


def hold_memory_files(task: dict) -> dict:
    """The payload escape_memfd_memory.py as a job: memory files held outside the address-space limit."""
    from pathlib import Path

    scope = {"TASK": task, "RESULT": {}}
    exec((Path(__file__).parent / "payloads" / "escape_memfd_memory.py").read_text(), scope)
    return scope["RESULT"]


def hoard_threads(task: dict) -> dict:
    """The payload cross_candidate_thread_hoard.py as a job: threads started and held."""
    from pathlib import Path

    scope = {"TASK": task, "RESULT": {}}
    exec((Path(__file__).parent / "payloads" / "cross_candidate_thread_hoard.py").read_text(), scope)
    return scope["RESULT"]


def start_threads_meanwhile(task: dict) -> dict:
    """An honest-looking sibling: starts and joins one thread every 20 ms, for `seconds` or until the
    kernel refuses one; how many attempts it refused (a thread is what numpy's BLAS pool would want)."""
    import threading
    import time

    tried = refused = 0
    deadline = time.monotonic() + task.get("seconds", 5.0)
    while time.monotonic() < deadline:
        tried += 1
        try:
            t = threading.Thread(target=lambda: None)
            t.start()
            t.join()
        except RuntimeError:
            refused += 1
            break
        time.sleep(0.02)
    return {"tried": tried, "refused": refused}


def numerics(task: dict) -> dict:
    """What an honest candidate's numbers need: a BLAS-sized product (a multi-threaded BLAS would
    start its pool here), checked; how many threads the child has after it; the thread settings."""
    import numpy as np

    a = np.arange(640 * 640, dtype=float).reshape(640, 640) % 7
    b = a @ a.T
    threads = next(int(ln.split()[1]) for ln in open("/proc/self/status") if ln.startswith("Threads:"))
    return {"checksum": float(b.trace()), "threads": threads,
            "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}}


def read_files(task: dict) -> dict:
    """What of `paths` this child can read (text, or the error's name), and the home it lists."""
    out = {}
    for p in task["paths"]:
        try:
            with open(p) as f:
                out[p] = f.read()
        except OSError as e:
            out[p] = errno.errorcode.get(e.errno, str(e.errno))
    home = task.get("home")
    return {"read": out, "home": sorted(os.listdir(home)) if home else None, "uid": os.getuid()}


def hold_pipes(task: dict) -> dict:
    """The payload escape_pipe_buffers.py as a job: pipes (and their buffers) held until refused."""
    from pathlib import Path

    scope = {"TASK": task, "RESULT": {}}
    exec((Path(__file__).parent / "payloads" / "escape_pipe_buffers.py").read_text(), scope)
    return scope["RESULT"]


def leave_orphans(task: dict) -> dict:
    """The payload cross_candidate_orphan_zombies.py as a job: grandchildren that outlive the child."""
    from pathlib import Path

    scope = {"TASK": task, "RESULT": {}}
    exec((Path(__file__).parent / "payloads" / "cross_candidate_orphan_zombies.py").read_text(), scope)
    return scope["RESULT"]
