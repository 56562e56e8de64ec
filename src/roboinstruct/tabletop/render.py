"""Pictures of a task, on demand only (validation never renders): a top-down and a front view
as PNG (start and end of the oracle episode) or an animated GIF of the episode.

Task code runs here too, so rendering is a sandbox-worker job (`render_job`) that returns the
image bytes base64-encoded (the caller never imports pybullet, which prints to stdout).
"""

from __future__ import annotations

import base64
import io
import math

import numpy as np
import pybullet as p

from .sim import Sim

VIEWS = {
    # eye, target, up, vertical field of view (degrees): top is near-orthographic over the workspace
    "top": ((0.5, 0.0, 10.0), (0.5, 0.0, 0.0), (-1.0, 0.0, 0.0), 2 * math.degrees(math.atan(0.26 / 10.0))),
    "front": ((1.05, 0.0, 0.42), (0.5, 0.0, 0.03), (0.0, 0.0, 1.0), 50.0),
}
JOB = "roboinstruct.tabletop.render:render_job"


def image(sim: Sim, view: str, height: int = 160) -> np.ndarray:
    """An RGB uint8 image (height x 2*height) of the current state."""
    eye, target, up, fov = VIEWS[view]
    width = 2 * height
    vm = p.computeViewMatrix(eye, target, up, physicsClientId=sim.client)
    pm = p.computeProjectionMatrixFOV(fov, width / height, 0.01, 20.0, physicsClientId=sim.client)
    _, _, rgba, _, _ = p.getCameraImage(width, height, vm, pm, renderer=p.ER_TINY_RENDERER,
                                        physicsClientId=sim.client)
    return np.asarray(rgba, dtype=np.uint8).reshape(height, width, 4)[:, :, :3]


def _grid(rows: list[list[np.ndarray]], labels: list[str]):
    from PIL import Image, ImageDraw

    h, w = rows[0][0].shape[:2]
    pad = 18
    canvas = Image.new("RGB", (w * len(rows[0]), (h + pad) * len(rows)), "white")
    draw = ImageDraw.Draw(canvas)
    for r, row in enumerate(rows):
        draw.text((4, r * (h + pad) + 3), labels[r], fill=(0, 0, 0))
        for c, img in enumerate(row):
            canvas.paste(Image.fromarray(img), (c * w, r * (h + pad) + pad))
    return canvas


def render_job(task: dict) -> dict:
    """Sandbox-worker job: {"source", "seed", "format": "png"|"gif", "height"} -> base64 image."""
    from .episode import run_episode
    from .taskcode import check_task

    code, name = check_task(task["source"])
    height = int(task.get("height", 160))
    sim = Sim()
    frames: list[np.ndarray] = []
    start: list[np.ndarray] = []

    def on_action(s: Sim, _action):
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
        _grid(rows, labels[-len(rows):] if start else [labels[1]]).save(buf, format="PNG")
    return {"image": base64.b64encode(buf.getvalue()).decode(), "ok": result.ok, "stage": result.stage,
            "reason": result.reason, "actions": result.actions}
