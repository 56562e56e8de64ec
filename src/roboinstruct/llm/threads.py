"""How many threads llama.cpp gets, on a machine that is never guaranteed idle.

llama.cpp's worker threads spin-wait for each other between operations. When one of them
shares a core with another busy process, every token waits for the OS to schedule it:
measured on 2 cores with one busy, the 0.5B model wrote 0.6 tok/s with 2 threads and
39.7 tok/s with 1 (shared/MODELS.md). So the default counts the cores that are idle *now*
(from /proc/stat over a short window) and never asks for more, and the threads do not
poll (`poll=0`: a waiting thread sleeps instead of spinning), so load that starts later
costs a share of speed instead of a collapse. `--threads N` overrides the count.
"""

from __future__ import annotations

import os
import time


def _cpu_times() -> list[tuple[int, int]] | None:
    """(busy, total) jiffies per core, or None where /proc/stat does not exist."""
    try:
        lines = open("/proc/stat").read().splitlines()
    except OSError:
        return None
    out = []
    for line in lines:
        if line.startswith("cpu") and line[3:4].isdigit():
            v = [int(x) for x in line.split()[1:]]
            idle = v[3] + (v[4] if len(v) > 4 else 0)  # idle + iowait
            out.append((sum(v) - idle, sum(v)))
    return out or None


def idle_cores(window: float = 0.3) -> float | None:
    """How many cores' worth of CPU time went unused over `window` seconds (None: unknown)."""
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
