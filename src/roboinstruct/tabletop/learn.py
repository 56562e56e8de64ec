"""Training the pick-and-place policy on recorded demonstrations, and evaluating it on held-out
seeds in the simulator (sandbox workers: task code runs there; deterministic per seed).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

EVAL_JOB = "roboinstruct.tabletop.learn:eval_job"
HELD_OUT = 1_000_003  # evaluation seeds derive from run seed + this: never a demonstration's seed


@dataclass
class TrainSettings:
    steps: int = 400
    batch: int = 4
    lr: float = 1e-3
    seed: int = 0
    rotations: int = 12
    episodes: int | None = None  # use only the first N episodes of each task (demos-vs-success curves)


def load_steps(folders: list[Path], episodes: int | None = None) -> tuple[list[dict], dict]:
    """Every recorded step of the kept episodes (first `episodes` per task), and what was read."""
    from ..artifacts import read_objects
    from .demos import load_episode

    steps, per_task = [], {}
    for folder in folders:
        index = Path(folder) / "episodes.jsonl"
        if not index.is_file():
            from ..errors import UserError

            raise UserError(f"--data {folder}: no episodes.jsonl (record with `roboinstruct tabletop demos`)")
        for _, row in read_objects(index):
            if "shard" not in row or not row["ok"]:
                continue
            if episodes is not None and per_task.get(row["task"], 0) >= episodes:
                continue
            per_task[row["task"]] = per_task.get(row["task"], 0) + 1
            e = load_episode(Path(folder), row)
            for k in range(len(e["pick"])):
                steps.append({"color": e["color"][k], "height": e["height"][k], "pick_pixel": e["pick_pixel"][k],
                              "place_pixel": e["place_pixel"][k], "place_rotation": e["place_rotation"][k],
                              "lang": row["lang"][k]})
    return steps, per_task


def _batch(steps: list[dict], idx: list[int], device: str = "cpu") -> dict:
    import torch

    def pick(key: str):
        return torch.as_tensor(np.stack([steps[i][key] for i in idx])).to(device)

    return {"color": pick("color"), "height": pick("height"), "pick_pixel": pick("pick_pixel").long(),
            "place_pixel": pick("place_pixel").long(), "place_rotation": pick("place_rotation").long(),
            "lang": [steps[i]["lang"] for i in idx]}


def train(data: list[Path], out: Path, settings: TrainSettings, progress=None) -> dict:
    import torch

    from .policy import PolicyConfig, Transporter, losses, save

    steps, per_task = load_steps(data, settings.episodes)
    if not steps:
        from ..errors import UserError

        raise UserError("no successful demonstration steps in --data")
    torch.manual_seed(settings.seed)
    rng = random.Random(settings.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"  # the same code trains at GPU scale
    model = Transporter(PolicyConfig(rotations=settings.rotations)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=settings.lr)
    curve, started = [], time.time()
    for step in range(settings.steps):
        loss = losses(model, _batch(steps, [rng.randrange(len(steps)) for _ in range(settings.batch)], device))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 10 == 0 or step == settings.steps - 1:
            curve.append({"step": step, "loss": round(float(loss.detach()), 4)})
        if progress:
            progress(step + 1, settings.steps, float(loss.detach()))
    manifest = {"kind": "roboinstruct.tabletop-policy", "settings": asdict(settings),
                "data": [str(d) for d in data], "episodes_per_task": per_task, "steps_seen": len(steps),
                "loss_curve": curve, "train_seconds": round(time.time() - started, 1)}
    save(model.cpu(), out, {**manifest, "device": device})
    return manifest


class PolicyActor:
    """The oracle's stand-in during evaluation: observation + goal -> (pick, place) tip poses."""

    def __init__(self, folder):
        from .policy import load

        self.model = load(folder)

    def __call__(self, sim, language: str):
        import torch

        from .observe import to_world, top_down
        from .oracle import Action
        from .policy import SCALE
        from .sim import yaw_quat

        color, height = top_down(sim)
        with torch.no_grad():
            _, place, pick_rc = self.model(torch.as_tensor(color[None]), torch.as_tensor(height[None]), [language])
        r, c = (int(v) * SCALE + SCALE // 2 for v in pick_rc[0])
        px, py, pz = to_world(r, c, height)
        R, H, W = place.shape[1:]
        flat = int(place[0].flatten().argmax())
        rot, pr, pc = flat // (H * W), (flat % (H * W)) // W, flat % W
        qx, qy, qz = to_world(pr * SCALE + SCALE // 2, pc * SCALE + SCALE // 2, height)
        yaw = rot * 2 * math.pi / R
        return Action(-1, ((px, py, pz), (0.0, 0.0, 0.0, 1.0)), ((qx, qy, qz + pz + 0.01), yaw_quat(yaw)))


def eval_job(task: dict) -> dict:
    """Worker job: {"policy", "source", "seeds"} -> per-seed outcome of the policy's episodes."""
    import torch

    from .episode import run_episode
    from .sim import Sim
    from .taskcode import check_task

    torch.set_num_threads(1)
    code, name = check_task(task["source"])
    actor = PolicyActor(task["policy"])
    sim = Sim()
    out = []
    for s in task["seeds"]:
        r = run_episode(code, name, s, sim, actor=actor)
        stage = "policy" if r.stage == "oracle" else r.stage  # the policy, not the oracle, was acting
        out.append({"seed": s, "ok": r.ok, "stage": stage, "reason": r.reason, "actions": r.actions})
    sim.close()
    return {"task": name, "results": out}


def evaluate(policy: Path, candidates: list, episodes: int, seed: int = 0, workers: int | None = None,
             progress=None) -> list[dict]:
    """Success of the policy on `episodes` held-out seeds per task, with a 95% Wilson interval."""
    from ..benchmark.intervals import wilson_ci
    from ..sandbox import WorkerPool
    from .taskcode import code_hash
    from .validate import derive_seeds

    jobs = []
    for c in candidates:
        seeds = derive_seeds(seed + HELD_OUT, code_hash(c.source), episodes)
        for chunk in (seeds[i::2] for i in range(min(2, episodes))):
            jobs.append({"job": EVAL_JOB, "policy": str(Path(policy).resolve()), "source": c.source, "seeds": chunk,
                         "file": c.file})
    by_file: dict[str, list] = {c.file: [] for c in candidates}
    with WorkerPool(workers, memory_mb=4096, cpu_seconds=600) as pool:
        for i, result in pool.run([{k: v for k, v in j.items() if k != "file"} for j in jobs]):
            rows = result.get("results") or [{"seed": s, "ok": False, "stage": "worker",
                                               "reason": result.get("message", "")} for s in jobs[i]["seeds"]]
            by_file[jobs[i]["file"]] += rows
            if progress:
                progress(len(rows))
    out = []
    for file, rows in by_file.items():
        k = sum(r["ok"] for r in rows)
        out.append({"task": file, "episodes": len(rows), "success": k, "rate": k / len(rows) if rows else 0.0,
                    "ci95": list(wilson_ci(k, len(rows))), "seeds": sorted(r["seed"] for r in rows),
                    "failures": [r for r in rows if not r["ok"]][:5]})
    return out
