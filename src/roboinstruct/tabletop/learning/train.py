"""Training the pick-and-place policy (`transporter`) on recorded demonstrations (`demos`)."""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ...errors import UserError
from ...settings import option



@dataclass
class TrainSettings:
    """How a policy is trained (`tabletop train` flags, `experiments/policy.py` configs): declared once."""
    steps: int = option(400, "optimizer steps")
    batch: int = option(4, "demonstration steps per optimizer step")
    lr: float = option(1e-3, "learning rate (Adam)")
    seed: int = option(0, "seed of the initial weights and the batch sampling")
    rotations: int = option(12, "discrete place rotations")
    episodes: int | None = option(None, "use only the first N episodes of each task (demos-vs-success curves)")
    sample: str = option("steps", legacy="steps", help="how a batch is drawn: 'steps' (uniform over all demonstration steps) or 'tasks' "
                                  "(a task uniformly, then one of its steps: CLIPort's multi-task sampling, the "
                                  "same updates per task whatever its episodes' lengths)")

    def validate(self) -> TrainSettings:
        if self.steps < 0 or self.batch < 1 or self.rotations < 1:
            raise UserError("--steps must be >= 0, --batch and --rotations >= 1")
        if self.episodes is not None and self.episodes < 1:
            raise UserError("--episodes must be at least 1")
        if self.sample not in ("steps", "tasks"):
            raise UserError("--sample must be 'steps' or 'tasks'")
        return self


def load_steps(folders: list[Path], episodes: int | None = None) -> tuple[list[dict], dict]:
    """Every recorded step of the kept episodes (first `episodes` per task), and what was read."""
    from ...artifacts import read_objects
    from .demos import load_episode

    steps, per_task = [], {}
    for folder in folders:
        index = Path(folder) / "episodes.jsonl"
        if not index.is_file():
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
                              "lang": row["lang"][k], "task": row["task"]})
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

    from .transporter import PolicyConfig, Transporter, losses, save

    steps, per_task = load_steps(data, settings.episodes)
    if not steps:
        raise UserError("no successful demonstration steps in --data")
    torch.manual_seed(settings.seed)
    rng = random.Random(settings.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"  # the same code trains at GPU scale
    model = Transporter(PolicyConfig(rotations=settings.rotations)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=settings.lr)
    by_task: dict[str, list[int]] = {}
    for i, s in enumerate(steps):
        by_task.setdefault(s["task"], []).append(i)
    tasks = sorted(by_task)

    def draw() -> int:
        if settings.sample == "tasks":
            return rng.choice(by_task[rng.choice(tasks)])
        return rng.randrange(len(steps))

    drawn = dict.fromkeys(tasks, 0)  # what each task got: training samples (steps x batch), per task
    curve, started = [], time.time()
    for step in range(settings.steps):
        idx = [draw() for _ in range(settings.batch)]
        for i in idx:
            drawn[steps[i]["task"]] += 1
        loss = losses(model, _batch(steps, idx, device))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 10 == 0 or step == settings.steps - 1:
            curve.append({"step": step, "loss": round(float(loss.detach()), 4)})
        if progress:
            progress(step + 1, settings.steps, float(loss.detach()))
    manifest = {"kind": "roboinstruct.tabletop-policy", "settings": asdict(settings),
                "data": [str(d) for d in data], "episodes_per_task": per_task, "steps_seen": len(steps),
                "transitions": len(steps), "samples": settings.steps * settings.batch, "samples_per_task": drawn,
                "loss_curve": curve, "train_seconds": round(time.time() - started, 1)}
    save(model.cpu(), out, {**manifest, "device": device})
    return manifest
