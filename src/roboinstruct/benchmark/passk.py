"""pass@k (the unbiased estimator of Chen et al. 2021) and the per-task summary of a run."""

from __future__ import annotations

from collections import Counter, defaultdict
from math import comb

from .model import VERDICTS


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples drawn from n (c correct) is correct."""
    if not 0 <= c <= n or k < 1:
        raise ValueError(f"need 0 <= c <= n and k >= 1 (n={n}, c={c}, k={k})")
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def summarize(rows: list[dict], k: int = 1) -> dict:
    """pass@k per (task, prompt), per task (mean over its prompts), overall (mean over all
    task x prompt groups, as RoboEval reports), plus the verdict breakdown."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for r in rows:
        groups[(r["task"], int(r.get("prompt_index", 0)))].append(r["verdict"])
    per_prompt = {g: pass_at_k(len(v), v.count("Success"), k) for g, v in groups.items() if len(v) >= k}
    per_task: dict[str, list[float]] = defaultdict(list)
    for (task, _), p in per_prompt.items():
        per_task[task].append(p)
    breakdown = Counter({v: 0 for v in VERDICTS})
    breakdown.update(r["verdict"] for r in rows)
    task_breakdown: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        task_breakdown[r["task"]][r["verdict"]] += 1
    return {
        "k": k,
        "overall": sum(per_prompt.values()) / len(per_prompt) if per_prompt else 0.0,
        "per_task": {t: sum(v) / len(v) for t, v in per_task.items()},
        "per_prompt": {f"{t}/{i}": p for (t, i), p in per_prompt.items()},
        "breakdown": dict(breakdown),
        "task_breakdown": {t: dict(c) for t, c in task_breakdown.items()},
        "programs": len(rows),
    }
