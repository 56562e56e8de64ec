"""How many threads llama.cpp gets, on a machine that is never guaranteed idle.

llama.cpp's worker threads wait for each other between operations. When one of them shares
a core with another busy process, every token waits for the OS to schedule it (reported:
0.6 tok/s with 2 threads vs 39.7 with 1 on 2 cores, shared/MODELS.md). Measured here
(0.5B, 128 greedy tokens, 2 cores): idle 2 threads 38.8 tok/s, 1 thread 22.3; one
un-niced busy process: 2 threads 11.1, 1 thread 21.1; another llama.cpp generating:
2 threads 8.1, 1 thread 16.7. Making waiting threads sleep instead of spin (`poll=0`)
did not help (11.0, 5.5) and cost 9% idle, so llama.cpp's default polling stays. The
default count is therefore the cores idle *now* (from /proc/stat over a short window; niced
work counts as idle, since it yields to us: beside a niced busy loop 2 threads still ran
34.8 tok/s), never more; `--threads N` overrides it (`--threads 1` when load starts later).
Niced work yields only where the kernel weighs processes one by one: with `sched_autogroup` on
(the default of many distributions) each session is one group with a share of its own, whatever
its nice value (seen here: a 2-thread model beside three sessions of niced tests got ~1 core, and
~1.7 once autogroup was switched off), so there niced work counts as busy.
"""

from __future__ import annotations

import os
import time


def parse_stat(text: str, niced_free: bool = True) -> list[tuple[int, int]]:
    """(busy, total) jiffies per core from /proc/stat's text (`niced_free`: niced time counts as free)."""
    out = []
    for line in text.splitlines():
        if line.startswith("cpu") and line[3:4].isdigit():
            v = [int(x) for x in line.split()[1:]]
            # Free for us: idle and iowait, and niced work too — a niced process yields its core to
            # llama.cpp (measured: 2 threads beside a niced busy loop 34.8 tok/s, 1 thread 21.1).
            free = v[3] + (v[4] if len(v) > 4 else 0) + (v[1] if niced_free else 0)
            out.append((sum(v) - free, sum(v)))
    return out


def niced_work_yields(path: str = "/proc/sys/kernel/sched_autogroup_enabled") -> bool:
    """Whether a niced process elsewhere yields its core to us: not under autogroup scheduling."""
    try:
        with open(path) as f:
            return f.read().strip() != "1"
    except OSError:
        return True  # no autogroup (or not Linux): nice values are weighed process by process


def _cpu_times() -> list[tuple[int, int]] | None:
    """(busy, total) jiffies per core, or None where /proc/stat does not exist."""
    try:
        with open("/proc/stat") as f:
            return parse_stat(f.read(), niced_free=niced_work_yields()) or None
    except OSError:
        return None


def idle_cores(window: float = 0.3) -> float | None:
    """How many cores' worth of CPU time was idle or niced over `window` seconds (None: unknown)."""
    a = _cpu_times()
    if a is None:
        return None
    time.sleep(window)
    b = _cpu_times()
    if b is None or len(b) != len(a):
        return None
    busy = sum(b2 - b1 for (b1, _), (b2, _) in zip(a, b))
    total = sum(t2 - t1 for (_, t1), (_, t2) in zip(a, b))
    return len(a) * (1 - busy / total) if total else float(len(a))


def available_cores() -> int:
    """Cores this process may run on (affinity / cgroup-aware where the OS says so)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def choose_threads(requested: int | None = None) -> int:
    """`requested` if given; else the idle cores, rounded down (at least 1, at most available)."""
    cores = available_cores()
    if requested:
        return max(1, requested)
    idle = idle_cores()
    if idle is None:
        return cores
    # 0.25 of slack: a core that is 80% idle still counts; one that is half busy does not.
    return max(1, min(cores, int(idle + 0.25)))


# Measured (1.5B, 2 idle cores, 6 requests x 128 tokens): 1 slot 21.8 tok/s in all, 2 slots 18.4.
# On a CPU this small, decoding two sequences in one batch costs as much as decoding them one
# after the other (the cores are busy with arithmetic, not waiting for memory), and every extra
# slot evaluates each shared prompt prefix once more. Bigger machines batch profitably.
FEW_CORES = 2


def choose_slots(requested: int | None = None) -> int:
    """llama.cpp server slots: `requested` if given; 1 on a machine with <= 2 cores, else 2."""
    if requested:
        return max(1, requested)
    return 1 if available_cores() <= FEW_CORES else 2
