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
from .replies import check_declared, check_simulated
from .decided import first_oracles, more_oracles
from .verdict import Candidate, TaskVerdict, aggregate, crashed

JOB = "roboinstruct.tabletop.validate.worker.jobs:validate_job"
SIMULATE_JOB = "roboinstruct.tabletop.validate.worker.jobs:simulate_job"
WORKER_MEMORY_MB = 1024
CPU_SECONDS = 30  # per job (K seeds): a valid task needs a few; C-level loops the step budget cannot see stop here
ARM_CPU_SECONDS = 300  # `--robot arm`: an IK solve per millimetre of every descent, ~10x the tip's physics


def cpu_seconds(robot: str = "tip") -> int:
    """The CPU limit of one sandbox job when `robot` carries the oracle's objects."""
    return ARM_CPU_SECONDS if robot == "arm" else CPU_SECONDS

# seeds per physics child: each seed's scene is rebuilt from scratch, so a split changes nothing but
# the CPU one child spends (a GenSim pile's 50 blocks pushed 20 times take ~8 s a seed)
SIMULATE_SEEDS = 2


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
                  pool: WorkerPool | None = None, robot: str = "tip", every_oracle: bool = True) -> list[TaskVerdict]:
    """Verdicts in input order. One candidate is split across the workers; many run one job each.
    Two rounds of jobs: the task's code declares each seed's scene (validate_job), then a fresh
    child that never runs task code simulates the declared scenes (simulate_job); the goals are
    judged here. `pool`: reuse the caller's workers (kept open) instead of starting fresh ones. `robot`:
    what carries the oracle's objects in the physics child ("tip", or "arm": `env.arm`).
    `every_oracle=False`: run a seed's oracle only while the verdict needs it (validate.decided: the
    same verdicts; `passed` then counts the seeds that ran, `not_run` the others)."""
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
            owners.append((idx, name, digest, seed_list))
    if jobs:
        own = pool is None
        pool = pool or WorkerPool(workers, memory_mb=WORKER_MEMORY_MB, cpu_seconds=cpu_seconds(robot))
        try:
            _collect(pool, jobs, owners, candidates, verdicts, tau, progress, not every_oracle, robot)
        finally:
            if own:
                pool.close()
    return verdicts  # type: ignore[return-value]


def _crash_all(seeds: list, message: str) -> dict:
    return {s: crashed(s, message) for s in seeds}


def _collect(pool: WorkerPool, jobs, owners, candidates, verdicts, tau, progress, decide: bool,
             robot: str = "tip") -> None:
    """Round 1 (declarations), round 2 (simulations of the declared seeds, in waves: `decide`, see
    validate.decided; else every oracle in one wave), then each candidate's verdict. A reply that
    fails its schema check is that job's crash."""
    per: dict[int, dict] = {}  # candidate -> {"results": seed -> result, "replay": str|None}
    first: dict[int, dict] = {}  # candidate -> seed -> its task-half record
    declared: dict[int, dict] = {}  # candidate -> seed -> declaration (seeds that got that far)
    for j, reply in pool.run(jobs):
        idx, seeds = owners[j][0], jobs[j]["seeds"]
        acc = per.setdefault(idx, {"results": {}, "replay": None})
        problem = None if reply.get("crashed") else check_declared(reply, seeds)
        if reply.get("crashed") or problem:
            acc["results"].update(_crash_all(seeds, reply.get("message") or f"malformed reply ({problem})"))
            continue
        for r in reply["results"]:
            acc["results"][r["seed"]] = r
        if jobs[j]["replay"]:
            acc["replay"] = reply["replay"]
        gensim = candidates[idx].dialect == "gensim"  # the caller's knowledge, not the task's child's claim
        for r in reply["results"]:
            if r["stage"] is None:
                # the dialect and the checkout's dynamics are the caller's, never the task child's claim
                declared.setdefault(idx, {})[r["seed"]] = dict(r.pop("declaration"), gensim=gensim,
                                                               dynamics=candidates[idx].dynamics if gensim else {})
                first.setdefault(idx, {})[r["seed"]] = r
    seed_lists = {o[0]: o[3] for o in owners}
    wave = {}  # candidate -> {seed: run its oracle?}
    for idx, decls in declared.items():
        seeds = [s for s in seed_lists[idx] if s in decls]
        oracles = first_oracles(seeds, tau, len(seed_lists[idx])) if decide else seeds
        wave[idx] = {s: s in oracles for s in seeds}
    for n in range(1, max(map(len, seed_lists.values()), default=0) + 2):  # every seed's oracle by then
        _simulate(pool, wave, declared, first, per, robot)
        if not decide:
            break
        wave = {}
        for idx in declared:
            more = more_oracles(_verdict(idx, candidates, owners, per, tau), _results(idx, owners, per), tau, n)
            if more:
                wave[idx] = dict.fromkeys(more, True)
        if not wave:
            break
    for idx, acc in sorted(per.items()):
        verdicts[idx] = _verdict(idx, candidates, owners, per, tau)
        if progress:
            progress()


def _simulate(pool: WorkerPool, wave: dict, declared: dict, first: dict, per: dict, robot: str = "tip") -> None:
    """One wave of physics jobs: per candidate, {seed: run its oracle?}; the results merged into `per`.
    The heaviest jobs go first, so the wave does not end on one long job with the other workers idle."""
    sims, sim_owner = [], []
    for idx, seeds in wave.items():
        full = [s for s, oracle in seeds.items() if oracle]
        parts = [full[i:i + SIMULATE_SEEDS] for i in range(0, len(full), SIMULATE_SEEDS)]
        parts += [[s for s, oracle in seeds.items() if not oracle]]
        for part in parts:
            if part:
                sims.append({"job": SIMULATE_JOB, "robot": robot, "seeds": [{"seed": s, "declaration": declared[idx][s],
                                                            "oracle": seeds[s]} for s in part]})
                sim_owner.append(idx)
    ranked = sorted(range(len(sims)), key=lambda k: -_cost(sims[k]))
    for k, reply in pool.run([sims[k] for k in ranked]):
        k = ranked[k]
        idx = sim_owner[k]
        seeds = [item["seed"] for item in sims[k]["seeds"]]
        skipped = {item["seed"] for item in sims[k]["seeds"] if not item["oracle"]}
        problem = None if reply.get("crashed") else check_simulated(reply, seeds, skipped)
        if reply.get("crashed") or problem:
            per[idx]["results"].update(_crash_all(seeds, reply.get("message") or f"malformed reply ({problem})"))
            continue
        for r in reply["results"]:
            per[idx]["results"][r["seed"]] = merge(first[idx][r["seed"]], r)


def _cost(job: dict) -> float:
    """A physics job's rough cost: its seeds (an oracle ~10 settles) times its bodies; pushes and
    slow rope carries cost more per action."""
    total = 0.0
    for item in job["seeds"]:
        d = item["declaration"]
        bodies = sum(1 for e in d.get("log", ()) if e and e[0] == "add")
        slow = d.get("primitive") == "push" or d.get("lift") is not None
        total += (10.0 if item["oracle"] else 1.0) * (1 + bodies) * (3.0 if slow else 1.0)
    return total


def _results(idx: int, owners, per) -> list[dict]:
    seed_list = next(o for o in owners if o[0] == idx)[3]
    return [per[idx]["results"][s] for s in seed_list]


def _verdict(idx: int, candidates, owners, per, tau: float) -> TaskVerdict:
    _, name, digest, seed_list = next(o for o in owners if o[0] == idx)
    try:
        return aggregate(candidates[idx].file, name, digest, _results(idx, owners, per), per[idx]["replay"], tau,
                         candidates[idx].dialect)
    except Exception as exc:  # noqa: BLE001 - scene data our judge chokes on: that candidate's failure
        return aggregate(candidates[idx].file, name, digest,
                         [crashed(s, f"unjudgeable scene data ({type(exc).__name__})") for s in seed_list],
                         None, tau, "roboinstruct")


def merge(declared: dict, simulated: dict) -> dict:
    """One seed's result: the task's half (notes, assets, the stricter check it went past, the
    declaration's hash) with the physics child's outcome and scene data."""
    out = dict(simulated, notes=declared["notes"], assets=declared["assets"], declared=declared["declared"])
    if declared["strict_stage"]:  # a stricter check failed already in the task's half (GenSim's dialect)
        out["strict_stage"], out["strict_reason"] = declared["strict_stage"], declared["strict_reason"]
    return out


def _validate_chunk(items: list[dict], seeds: int, tau: float, run_seed: int, robot: str = "tip",
                    every_oracle: bool = True) -> list[dict]:
    cands = [Candidate(d["file"], d["source"], d.get("dialect", "roboinstruct"), d.get("assets") or {},
                       d.get("dynamics") or {}) for d in items]
    return [v.to_dict() for v in validate_many(cands, seeds=seeds, tau=tau, run_seed=run_seed, workers=1, robot=robot,
                                               every_oracle=every_oracle)]


def validate_on_ray(candidates: Iterable[Candidate], seeds: int = DEFAULT_SEEDS, tau: float = DEFAULT_TAU,
                    run_seed: int = 0, chunk: int = 4, robot: str = "tip", every_oracle: bool = True) -> list[TaskVerdict]:
    """validate_many fanned out over Ray: same verdicts (seeds derive from code, not placement)."""
    from ...cluster import ray_map

    items = [{"file": c.file, "source": c.source, "dialect": c.dialect, "assets": c.assets, "dynamics": c.dynamics}
             for c in candidates]
    return [TaskVerdict(**d) for d in ray_map(_validate_chunk, items, chunk, seeds, tau, run_seed, robot, every_oracle)]
