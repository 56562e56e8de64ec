"""Evaluating a trained policy on held-out seeds in the simulator: the episodes run in sandbox workers
(`worker.jobs.eval_job`: task code runs there; deterministic per seed); this side judges each seed
from its scene data and pools the outcomes with 95% Wilson intervals.

Each seed gets both metrics: GenSim's reward (`validate.gensim_rules.reward`: each goal's share of
its objects in place, partial credit; GenSim's evaluation reports its mean) and a binary success:
GenSim's rule (reward > 0.99) for a task in GenSim's dialect, this project's strict judge otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...errors import UserError
from ...settings import option

EVAL_JOB = "roboinstruct.tabletop.learning.worker.jobs:eval_job"
HELD_OUT = 1_000_003  # evaluation seeds derive from run seed + this: never a demonstration's seed


@dataclass
class EvalSettings:
    """How a policy is evaluated (`tabletop eval` flags): declared once."""
    episodes: int = option(20, "held-out episodes per task")
    seed: int = option(0, "run seed the held-out seeds derive from")
    workers: int | None = option(None, "sandbox workers (default: cores)")

    def validate(self) -> EvalSettings:
        if self.episodes < 1:
            raise UserError("--episodes must be at least 1")
        return self


def _judged(row: dict, dialect: str = "roboinstruct") -> dict:
    """A seed's outcome with its goals judged here, from the worker's scene data (`validate.verdict.judged`,
    or GenSim's rule in its dialect) and GenSim's reward; the policy, not the oracle, was acting."""
    from ..validate import gensim_rules
    from ..validate.verdict import judged

    reward = round(gensim_rules.reward(row), 4) if row.get("stage") in gensim_rules.GOAL_STAGES else 0.0
    if dialect == "gensim":
        ok, stage, reason = gensim_rules.seed_outcome(row)
        out = {"seed": row["seed"], "ok": ok, "stage": stage, "reason": reason, "actions": row.get("actions", 0)}
    else:
        out = {k: v for k, v in judged(row).items() if k in ("seed", "ok", "stage", "reason", "actions")}
    return {**out, "stage": "policy" if out["stage"] == "oracle" else out["stage"], "reward": reward}


def evaluate(policy: Path, candidates: list, episodes: int, seed: int = 0, workers: int | None = None,
             progress=None) -> list[dict]:
    """Success of the policy on `episodes` held-out seeds per task, with a 95% Wilson interval."""
    from ...core.intervals import wilson_ci
    from ...sandbox import WorkerPool
    from ..validate.taskcode import code_hash
    from ..validate.seeds import derive_seeds
    from .demos import dialect_of

    jobs, dialects = [], {c.file: c.dialect for c in candidates}
    for c in candidates:
        seeds = derive_seeds(seed + HELD_OUT, code_hash(c.source), episodes)
        for chunk in (seeds[i::2] for i in range(min(2, episodes))):
            jobs.append({"job": EVAL_JOB, "policy": str(Path(policy).resolve()), "source": c.source, "seeds": chunk,
                         **dialect_of(c), "file": c.file})
    by_file: dict[str, list] = {c.file: [] for c in candidates}
    with WorkerPool(workers, memory_mb=4096, cpu_seconds=600) as pool:
        for i, result in pool.run([{k: v for k, v in j.items() if k != "file"} for j in jobs]):
            file = jobs[i]["file"]
            rows = [_judged(r, dialects[file]) for r in result.get("results") or []] or [
                {"seed": s, "ok": False, "stage": "worker", "reason": result.get("message", ""), "reward": 0.0}
                for s in jobs[i]["seeds"]]
            by_file[jobs[i]["file"]] += rows
            if progress:
                progress(len(rows))
    out = []
    for file, rows in by_file.items():
        k = sum(r["ok"] for r in rows)
        rows.sort(key=lambda r: r["seed"])
        rewards = [r["reward"] for r in rows]
        out.append({"task": file, "rule": "gensim" if dialects[file] == "gensim" else "strict", "episodes": len(rows),
                    "success": k, "rate": k / len(rows) if rows else 0.0, "ci95": list(wilson_ci(k, len(rows))),
                    "reward_mean": round(sum(rewards) / len(rows), 4) if rows else 0.0,
                    "seeds": [r["seed"] for r in rows], "rewards": rewards,
                    "failures": [r for r in rows if not r["ok"]][:5]})
    return out
