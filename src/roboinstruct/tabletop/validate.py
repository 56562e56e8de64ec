"""The verdict on a task: staged checks over K distinct seeds, run in sandbox workers.

parse → sandbox (static, in the caller: nothing runs) → per seed in a worker: instantiate →
reset → unsupported/assets/templates/goals/matches/rewards/language/workspace → overlap →
stable → trivial → oracle; then the oracle must succeed on ≥ τ·K seeds and seed 0 replayed in a
fresh world must give the same state hash (determinism). A failure at any stage before the
oracle on any seed fails the task there. Seeds derive from the run seed, the code hash and k
(GenSim validates every candidate on seed 123).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from ..sandbox import WorkerPool
from .errors import STAGES
from .taskcode import TaskRejected, check_task, code_hash

DEFAULT_SEEDS = 8
DEFAULT_TAU = 0.5
JOB = "roboinstruct.tabletop.validate:validate_job"
WORKER_MEMORY_MB = 1024
CPU_SECONDS = 30  # per job (K seeds): a valid task needs a few; C-level loops the step budget cannot see stop here


@dataclass
class TaskVerdict:
    file: str
    status: str  # pass | fail | unsupported
    stage: str | None
    reason: str
    task: str | None = None  # the class name
    code_hash: str = ""
    passed: int = 0
    seeds: int = 0
    tau: float = DEFAULT_TAU
    counterexample: dict | None = None  # {seed, step, what}
    deterministic: bool | None = None
    assets: list = field(default_factory=list)
    sim_steps: int = 0
    episodes: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "pass"

    def to_dict(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        if self.ok:
            return f"pass  {self.passed}/{self.seeds} seeds"
        where = f" (seed {self.counterexample['seed']})" if self.counterexample else ""
        return f"{self.status} at {self.stage}{where}: {self.reason}"


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


def validate_job(task: dict) -> dict:
    """Sandbox-worker job: run the given seeds (and optionally replay the first in a fresh world)."""
    from .episode import run_episode
    from .sim import Sim

    code, name = check_task(task["source"])  # checked again here: the worker trusts no caller
    sim = Sim()
    try:
        results = [run_episode(code, name, s, sim).to_dict() for s in task["seeds"]]
    finally:
        sim.close()
    replay = run_episode(code, name, task["seeds"][0]).state_hash if task.get("replay") else None
    return {"results": results, "replay": replay}


@dataclass
class Candidate:
    file: str
    source: str


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
            jobs.append({"job": JOB, "source": c.source, "seeds": part, "replay": i == 0})
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


def _crashed(seed: int, message: str) -> dict:
    return {"seed": seed, "ok": False, "stage": "reset", "step": None, "sim_steps": 0, "state_hash": "",
            "reason": f"the sandbox worker stopped: {message}", "assets": [], "actions": 0, "goals": 0,
            "goals_met": 0}


def _collect(results, jobs, owners, candidates, verdicts, tau, progress) -> None:
    """Gather per-seed results as jobs finish; a candidate's verdict once all its jobs are in."""
    partial: dict[int, dict] = {}
    for j, result in results:
        idx, name, digest, seed_list, first = owners[j]
        acc = partial.setdefault(idx, {"results": {}, "replay": None, "jobs": 0})
        acc["jobs"] += 1
        if result.get("crashed"):
            for s in jobs[j]["seeds"]:
                acc["results"][s] = _crashed(s, result.get("message", "sandbox worker failed"))
        else:
            acc["results"].update({r["seed"]: r for r in result["results"]})
            if first:
                acc["replay"] = result["replay"]
        if acc["jobs"] == sum(1 for o in owners if o[0] == idx):
            verdicts[idx] = aggregate(candidates[idx].file, name, digest, [acc["results"][s] for s in seed_list],
                                      acc["replay"], tau)
            if progress:
                progress()


def aggregate(file: str, name: str, digest: str, results: list[dict], replay: str | None,
              tau: float) -> TaskVerdict:
    k = len(results)
    passed = sum(r["ok"] for r in results)
    base = dict(task=name, code_hash=digest, passed=passed, seeds=k, tau=tau,
                assets=sorted({a for r in results for a in r["assets"]}),
                sim_steps=sum(r["sim_steps"] for r in results), episodes=results)
    hard = [r for r in results if not r["ok"] and r["stage"] != "oracle"]
    if hard:
        first = min(hard, key=lambda r: STAGES.index(r["stage"]))
        bad = next(r for r in results if r["stage"] == first["stage"])
        status = "unsupported" if bad["stage"] == "unsupported" else "fail"
        return TaskVerdict(file, status, bad["stage"], bad["reason"], **base,
                           counterexample={"seed": bad["seed"], "step": bad["step"], "what": bad["reason"]})
    need = math.ceil(tau * k)
    if passed < need:
        bad = next(r for r in results if not r["ok"])
        return TaskVerdict(file, "fail", "oracle", f"the oracle succeeded on {passed}/{k} seeds (needs {need}); "
                                                   f"seed {bad['seed']}: {bad['reason']}", **base,
                           counterexample={"seed": bad["seed"], "step": bad["step"], "what": bad["reason"]})
    if replay is not None and replay != results[0]["state_hash"]:
        return TaskVerdict(file, "fail", "determinism", f"seed {results[0]['seed']} replayed gave state "
                                                        f"{replay}, first run {results[0]['state_hash']}", **base,
                           deterministic=False,
                           counterexample={"seed": results[0]["seed"], "step": None, "what": "state differs on replay"})
    return TaskVerdict(file, "pass", None, "", **base, deterministic=replay is not None or None)


def _validate_chunk(items: list[dict], seeds: int, tau: float, run_seed: int) -> list[dict]:
    cands = [Candidate(d["file"], d["source"]) for d in items]
    return [v.to_dict() for v in validate_many(cands, seeds=seeds, tau=tau, run_seed=run_seed, workers=1)]


def validate_on_ray(candidates: Iterable[Candidate], seeds: int = DEFAULT_SEEDS, tau: float = DEFAULT_TAU,
                    run_seed: int = 0, chunk: int = 4) -> list[TaskVerdict]:
    """validate_many fanned out over Ray: same verdicts (seeds derive from code, not placement)."""
    from ..cluster import ray_map

    items = [{"file": c.file, "source": c.source} for c in candidates]
    return [TaskVerdict(**d) for d in ray_map(_validate_chunk, items, chunk, seeds, tau, run_seed)]
