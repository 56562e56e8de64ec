"""Cameras: a top-down and a front view of the simulated scene as RGB arrays (worker side), and a
labelled grid of them. Pictures are made on demand only (validation never renders), by the
sandbox-worker job `validate.worker.jobs.render_job`, which returns the image bytes.
"""

from __future__ import annotations

import math

import numpy as np
import pybullet as p

from .sim import Sim

VIEWS = {
    # eye, target, up, vertical field of view (degrees): top is near-orthographic over the workspace
    "top": ((0.5, 0.0, 10.0), (0.5, 0.0, 0.0), (-1.0, 0.0, 0.0), 2 * math.degrees(math.atan(0.26 / 10.0))),
    "front": ((1.05, 0.0, 0.42), (0.5, 0.0, 0.03), (0.0, 0.0, 1.0), 50.0),
}


def image(sim: Sim, view: str, height: int = 160) -> np.ndarray:
    """An RGB uint8 image (height x 2*height) of the current state."""
    eye, target, up, fov = VIEWS[view]
    width = 2 * height
    vm = p.computeViewMatrix(eye, target, up, physicsClientId=sim.client)
    pm = p.computeProjectionMatrixFOV(fov, width / height, 0.01, 20.0, physicsClientId=sim.client)
    _, _, rgba, _, _ = p.getCameraImage(width, height, vm, pm, renderer=p.ER_TINY_RENDERER,
                                        physicsClientId=sim.client)
    return np.asarray(rgba, dtype=np.uint8).reshape(height, width, 4)[:, :, :3]


def grid(rows: list[list[np.ndarray]], labels: list[str]):
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
