"""Snapshots of the test process (the verifier's parent) taken around the hostile batch: its process
state, builtins, files, child processes and output, and what changed between two snapshots."""

from __future__ import annotations

import builtins
import io
import os
import random
import signal
import sys
import time
from pathlib import Path

try:  # POSIX only; the sandbox itself relies on rlimits anyway.
    import resource
except ImportError:  # pragma: no cover
    resource = None

PWNED_GLOB = "PWNED_[0-9][0-9][0-9]"


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


def proc_status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def open_fd_count() -> int | None:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return None


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def process_state() -> dict:
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


def diff_process_state(before: dict, after: dict) -> list[str]:
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


def builtins_diff(before: dict) -> list[str]:
    now = vars(builtins)
    harms = [f"builtins.{k} replaced" for k, v in before.items() if now.get(k, _MISSING) is not v]
    harms += [f"builtins.{k} added" for k in now if k not in before and not k.startswith("_")]
    return harms


_MISSING = object()


def pwned_files(dirs: list[Path]) -> set[Path]:
    found = set()
    for d in dirs:
        try:
            found.update(p for p in d.glob(PWNED_GLOB) if p.is_file())
        except OSError:
            pass
    return found


def remove_files(paths) -> None:
    for p in paths:
        try:
            p.unlink()
        except OSError:
            pass


def children_of(pid: int) -> dict[int, int]:
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


def runaway_children(settle_s: float = 2.0, sample_s: float = 1.0) -> list[str]:
    """Descendants still burning CPU after verify_many returned (leaked hung workers)."""
    if not os.path.isdir("/proc"):
        return []
    deadline = time.monotonic() + settle_s
    while children_of(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.2)
    first = children_of(os.getpid())
    if not first:
        return []
    time.sleep(sample_s)
    second = children_of(os.getpid())
    hz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    runaway = []
    for pid, t0 in first.items():
        t1 = second.get(pid)
        if t1 is not None and (t1 - t0) / hz > 0.5 * sample_s:
            runaway.append(f"pid {pid} still using {(t1 - t0) / hz / sample_s:.0%} CPU")
    return runaway


class Tee(io.StringIO):
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


class BatchTimeout(Exception):
    pass
