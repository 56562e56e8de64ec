"""The `*_job` functions the sandbox worker pool calls for validation and pictures. validate_job
runs task code and returns its declarations; simulate_job (a fresh child that runs no task code)
turns declarations into scene data; render_job runs task code and returns image bytes. The caller
judges and aggregates."""

from __future__ import annotations

import base64
import io

from ..taskcode import check_task

_SIM = None


def _sim():
    """This process's physics client, made once. The zygote makes it in `prepare` (trusted, before
    it forks), so every child starts connected: a DIRECT connection costs ~30 ms, a third of a
    short episode, and a candidate's two children would pay it three times. Each episode resets it."""
    global _SIM
    if _SIM is None:
        from ...env.sim import Sim

        _SIM = Sim()
    return _SIM


_ARM_WARM = False


def _prepare(task: dict) -> None:
    global _ARM_WARM
    sim = _sim()
    if task.get("robot") == "arm" and not _ARM_WARM:
        # the arm's URDF and meshes parsed once here, before the fork (pybullet caches them: ~0.3 s
        # the first time, a quarter of that after), so an `--robot arm` child does not pay it per seed
        from ...env.arm import Arm

        Arm(sim)
        sim.reset()
        _ARM_WARM = True


def validate_job(task: dict) -> dict:
    """Sandbox-worker job, the task's half: run the task code on the given seeds up to its
    declaration (scene log, goals) and return that, as data; optionally declare the first seed
    again in a fresh world (determinism). Nothing here decides whether a goal is reached."""
    from .episode import declare_episode

    code, name = check_task(task["source"])  # checked again here: the worker trusts no caller
    dialect, assets = task.get("dialect", "roboinstruct"), task.get("assets") or {}
    sim = _sim()
    results = [declare_episode(code, name, s, sim, dialect=dialect, assets=assets) for s in task["seeds"]]
    # the first seed again after a reset: a task whose scene depends on anything but its seed differs
    replay = declare_episode(code, name, task["seeds"][0], sim, dialect=dialect, assets=assets)["declared"] \
        if task.get("replay") else None
    return {"results": results, "replay": replay}


def simulate_job(task: dict) -> dict:
    """Sandbox-worker job, the judge's half, in a child that never runs task code: rebuild each
    declared scene in a fresh simulator and run the physics, the oracle and the snapshots there
    ({"seeds": [{"seed", "declaration", "oracle"}], "robot": "tip"|"arm"} -> {"results": [per-seed
    result]}; "oracle": False (default True) stops that seed before its oracle, `physics.solve`)."""
    from .episode import SeedResult
    from .physics import Stop, simulate_seed

    sim = _sim()
    out = []
    for item in task["seeds"]:
        result = SeedResult(int(item["seed"]))
        declared = dict(item["declaration"], seed=result.seed)
        result.goal_specs = declared.get("goal_specs") or []
        result.goals = len(result.goal_specs)
        try:
            simulate_seed(declared, sim, result, robot=task.get("robot", "tip"),
                          oracle=item.get("oracle", True) is not False)
            result.ok = result.oracle_run  # a seed stopped before its oracle has not succeeded
        except Stop as stop:
            result.stage, result.reason, result.step = stop.stage, stop.reason, stop.step
        result.sim_steps, result.state_hash = sim.steps, sim.state_hash()
        out.append(result.to_dict())
    return {"results": out}


validate_job.prepare = simulate_job.prepare = _prepare


def render_job(task: dict) -> dict:
    """Sandbox-worker job: {"source", "seed", "format": "png"|"jpeg"|"gif", "height", "dialect",
    "assets", "dynamics"} -> base64 image (start/end as a grid, or every action as a GIF)."""
    import numpy as np

    from ...env.cameras import grid, image
    from ...env.sim import Sim
    from .episode import run_episode

    code, name = check_task(task["source"])
    height = int(task.get("height", 160))
    sim = Sim()
    frames: list = []
    start: list = []

    def on_action(s, _action):
        if not start:
            start.extend([image(s, "top", height), image(s, "front", height)])
        if task["format"] == "gif":
            frames.append(np.concatenate([image(s, "top", height), image(s, "front", height)], axis=1))

    result = run_episode(code, name, int(task["seed"]), sim, on_action=on_action,
                         dialect=task.get("dialect", "roboinstruct"), assets=task.get("assets") or {},
                         dynamics=task.get("dynamics") or {})
    end = [image(sim, "top", height), image(sim, "front", height)]
    sim.close()
    buf = io.BytesIO()
    if task["format"] == "gif":
        from PIL import Image

        frames.append(np.concatenate(end, axis=1))
        pics = [Image.fromarray(f) for f in frames]
        pics[0].save(buf, format="GIF", save_all=True, append_images=pics[1:] + [pics[-1]] * 3, duration=600, loop=0)
    else:
        rows = [start, end] if start else [end]
        reached = "GenSim's goal checks met" if task.get("dialect") == "gensim" else "goal reached"
        labels = ["start (top, front)", f"end after {result.actions} oracle actions: "
                                        f"{reached if result.ok else result.stage}"]
        picture = grid(rows, labels[-len(rows):] if start else [labels[1]])
        if task["format"] == "jpeg":
            picture.convert("RGB").save(buf, format="JPEG", quality=int(task.get("quality", 70)), optimize=True)
        else:
            picture.save(buf, format="PNG")
    return {"image": base64.b64encode(buf.getvalue()).decode(), "ok": result.ok, "stage": result.stage,
            "reason": result.reason, "actions": result.actions}
