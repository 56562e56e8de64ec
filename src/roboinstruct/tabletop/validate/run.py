"""The verdict on a task: staged checks over K distinct seeds, run in sandbox workers.

parse → sandbox (static, in the caller: nothing runs) → per seed in a worker: instantiate →
reset → unsupported/assets/templates/goals/matches/rewards/language/workspace → overlap →
stable → trivial → oracle; then the oracle must succeed on ≥ τ·K seeds and seed 0 replayed in a
fresh world must give the same state hash (determinism). A failure at any stage before the
oracle on any seed fails the task there. Seeds derive from the run seed, the code hash and k
(GenSim validates every candidate on seed 123).
"""

from __future__ import annotations

from collections.abc import Iterable

from ...sandbox import WorkerPool
from .seeds import DEFAULT_SEEDS, DEFAULT_TAU, derive_seeds
from .taskcode import TaskRejected, check_task, code_hash
from .verdict import Candidate, TaskVerdict, aggregate, crashed

JOB = "roboinstruct.tabletop.validate.worker.jobs:validate_job"
WORKER_MEMORY_MB = 1024
CPU_SECONDS = 30  # per job (K seeds): a valid task needs a few; C-level loops the step budget cannot see stop here


def _static(c: Candidate, seeds: int, tau: float, run_seed: int):
    digest = code_hash(c.source)
    try:
        _, name = check_task(c.source)
    except TaskRejected as e:
        return TaskVerdict(c.file, "fail", e.stage, e.reason(), code_hash=digest, seeds=seeds, tau=tau,
                           counterexample={"seed": None, "step": None, "what": e.reason()}), digest, None
    return None, digest, name


def validate_many(candidates: Iterable[Candidate], seeds: int = DEFAULT_SEEDS, tau: float = DEFAULT_TAU,
                  run_seed: int = 0, workers: int | None = None, progress=None,
                  pool: WorkerPool | None = None) -> list[TaskVerdict]:
    """Verdicts in input order. One candidate is split across the workers; many run one job each.
    `pool`: reuse the caller's workers (kept open) instead of starting fresh ones."""
    candidates = list(candidates)
    verdicts: list[TaskVerdict | None] = [None] * len(candidates)
    jobs, owners = [], []
    for idx, c in enumerate(candidates):
        verdict, digest, name = _static(c, seeds, tau, run_seed)
        if verdict is not None:
            verdicts[idx] = verdict
            if progress:
                progress()
            continue
        seed_list = derive_seeds(run_seed, digest, seeds)
        chunks = max(1, min(workers or 2, seeds)) if len(candidates) == 1 else 1
        for i in range(chunks):
            part = seed_list[i::chunks]
            jobs.append({"job": JOB, "source": c.source, "seeds": part, "replay": i == 0, "dialect": c.dialect,
                         "assets": c.assets})
            owners.append((idx, name, digest, seed_list, i == 0))
    if jobs:
        own = pool is None
        pool = pool or WorkerPool(workers, memory_mb=WORKER_MEMORY_MB, cpu_seconds=CPU_SECONDS)
        try:
            _collect(pool.run(jobs), jobs, owners, candidates, verdicts, tau, progress)
        finally:
            if own:
                pool.close()
    return verdicts  # type: ignore[return-value]


def _collect(results, jobs, owners, candidates, verdicts, tau, progress) -> None:
    """Gather per-seed results as jobs finish; a candidate's verdict once all its jobs are in."""
    partial: dict[int, dict] = {}
    for j, result in results:
        idx, name, digest, seed_list, first = owners[j]
        acc = partial.setdefault(idx, {"results": {}, "replay": None, "jobs": 0})
        acc["jobs"] += 1
        if result.get("crashed"):
            for s in jobs[j]["seeds"]:
                acc["results"][s] = crashed(s, result.get("message", "sandbox worker failed"))
        else:
            acc["results"].update({r["seed"]: r for r in result["results"]})
            if first:
                acc["replay"] = result["replay"]
        if acc["jobs"] == sum(1 for o in owners if o[0] == idx):
            verdicts[idx] = aggregate(candidates[idx].file, name, digest, [acc["results"][s] for s in seed_list],
                                      acc["replay"], tau, candidates[idx].dialect)
            if progress:
                progress()


def _validate_chunk(items: list[dict], seeds: int, tau: float, run_seed: int) -> list[dict]:
    cands = [Candidate(d["file"], d["source"], d.get("dialect", "roboinstruct"), d.get("assets") or {}) for d in items]
    return [v.to_dict() for v in validate_many(cands, seeds=seeds, tau=tau, run_seed=run_seed, workers=1)]


def validate_on_ray(candidates: Iterable[Candidate], seeds: int = DEFAULT_SEEDS, tau: float = DEFAULT_TAU,
                    run_seed: int = 0, chunk: int = 4) -> list[TaskVerdict]:
    """validate_many fanned out over Ray: same verdicts (seeds derive from code, not placement)."""
    from ...cluster import ray_map

    items = [{"file": c.file, "source": c.source, "dialect": c.dialect, "assets": c.assets} for c in candidates]
    return [TaskVerdict(**d) for d in ray_map(_validate_chunk, items, chunk, seeds, tau, run_seed)]
