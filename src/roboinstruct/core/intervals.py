"""95% confidence intervals for pass@1, by a cluster bootstrap over tasks.

The unit that varies between benchmarks is the task: a task's prompts are paraphrases,
so their outcomes move together, and resampling prompts independently would make the
interval too narrow. Each resample draws tasks with replacement and averages the pass@1
of all their prompts (the overall figure is the mean over task x prompt groups, as
RoboEval reports it). Seeded: the same results give the same interval everywhere.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

METHOD = "cluster bootstrap over tasks (prompts resampled with their task), 10,000 resamples, percentile"


def _by_task(per_prompt: dict[str, float]) -> dict[str, list[float]]:
    tasks: dict[str, list[float]] = defaultdict(list)
    for key, p in per_prompt.items():
        tasks[key.rsplit("/", 1)[0]].append(p)
    return dict(tasks)


def _percentiles(values: list[float], level: float) -> tuple[float, float]:
    values.sort()
    lo_i = int((1 - level) / 2 * (len(values) - 1))
    hi_i = int((1 + level) / 2 * (len(values) - 1) + 0.5)
    return round(values[lo_i], 4), round(values[hi_i], 4)


def pass_at_1_ci(per_prompt: dict[str, float], level: float = 0.95, resamples: int = 10_000,
                 seed: int = 0) -> tuple[float, float]:
    """(low, high) of the overall pass@1 from `per_prompt` ({"task/prompt": pass@1})."""
    tasks = list(_by_task(per_prompt).values())
    if not tasks:
        return 0.0, 0.0
    rng = random.Random(seed)
    stats = []
    for _ in range(resamples):
        picked = [rng.choice(tasks) for _ in tasks]
        total = sum(sum(t) for t in picked)
        stats.append(total / sum(len(t) for t in picked))
    return _percentiles(stats, level)


def difference_ci(a: dict[str, float], b: dict[str, float], level: float = 0.95, resamples: int = 10_000,
                  seed: int = 0) -> tuple[float, float, float] | None:
    """(b - a, low, high) over the tasks both were scored on, resampled in pairs (the same
    tasks for both: the task-to-task spread cancels). None when they share no task."""
    ta, tb = _by_task(a), _by_task(b)
    shared = sorted(set(ta) & set(tb))
    if not shared:
        return None
    pairs = [(ta[t], tb[t]) for t in shared]

    def diff(sample) -> float:
        na = sum(len(x) for x, _ in sample)
        nb = sum(len(y) for _, y in sample)
        return sum(sum(y) for _, y in sample) / nb - sum(sum(x) for x, _ in sample) / na

    rng = random.Random(seed)
    stats = [diff([rng.choice(pairs) for _ in pairs]) for _ in range(resamples)]
    lo, hi = _percentiles(stats, level)
    return round(diff(pairs), 4), lo, hi


def wilson_ci(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (good at small n and near 0 or 1)."""
    if trials <= 0:
        return 0.0, 1.0
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)
