"""K distinct episode seeds per task, derived from the run seed and the task's code hash (GenSim
validates every candidate on seed 123): where a task runs does not change what it is tested on."""

from __future__ import annotations

import hashlib

DEFAULT_SEEDS = 8
DEFAULT_TAU = 0.5


def derive_seeds(run_seed: int, digest: str, k: int) -> list[int]:
    """K distinct episode seeds from the run seed, the code hash and k."""
    out: list[int] = []
    i = 0
    while len(out) < k:
        h = hashlib.sha256(f"{run_seed}:{digest}:{i}".encode()).hexdigest()
        seed = int(h[:8], 16) % 2**31
        if seed not in out:
            out.append(seed)
        i += 1
    return out
