"""The `*_job` functions the sandbox worker pool calls for validation and pictures: each runs task
code (in the worker process only) and returns scene data — per-seed results, image bytes — for the
caller to judge and aggregate."""

from __future__ import annotations

import base64
import io

from ..taskcode import check_task


def validate_job(task: dict) -> dict:
    """Sandbox-worker job: run the given seeds (and optionally replay the first in a fresh world)."""
    from ...env.sim import Sim
    from .episode import run_episode

    code, name = check_task(task["source"])  # checked again here: the worker trusts no caller
    dialect, assets = task.get("dialect", "roboinstruct"), task.get("assets") or {}
    sim = Sim()
    try:
        results = [run_episode(code, name, s, sim, dialect=dialect, assets=assets).to_dict() for s in task["seeds"]]
    finally:
        sim.close()
    replay = run_episode(code, name, task["seeds"][0], dialect=dialect, assets=assets).state_hash if task.get("replay") else None
    return {"results": results, "replay": replay}


def render_job(task: dict) -> dict:
    """Sandbox-worker job: {"source", "seed", "format": "png"|"gif", "height"} -> base64 image."""
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

    result = run_episode(code, name, int(task["seed"]), sim, on_action=on_action)
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
        labels = ["start (top, front)", f"end after {result.actions} oracle actions: "
                                        f"{'goal reached' if result.ok else result.stage}"]
        grid(rows, labels[-len(rows):] if start else [labels[1]]).save(buf, format="PNG")
    return {"image": base64.b64encode(buf.getvalue()).decode(), "ok": result.ok, "stage": result.stage,
            "reason": result.reason, "actions": result.actions}
