"""What a policy sees: a top-down orthographic RGB image and height map on Ravens' pixel grid
(0.003125 m per pixel over the workspace: 320 rows along y, 160 columns along x), and where a
world point lands on it.

The top camera sits 10 m above the workspace with a narrow field of view, so the projection is
orthographic to within a pixel (an object 5 cm tall at the edge shifts 2.5 mm < 1 pixel);
heights come from the depth buffer.
"""

from __future__ import annotations

import numpy as np
import pybullet as p

from .sim import BOUNDS, Sim

PIXEL = 0.003125
ROWS = int(round((BOUNDS[1, 1] - BOUNDS[1, 0]) / PIXEL))  # 320, along y
COLS = int(round((BOUNDS[0, 1] - BOUNDS[0, 0]) / PIXEL))  # 160, along x
EYE_Z, NEAR, FAR = 10.0, 9.0, 10.5


def top_down(sim: Sim, scale: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(rgb uint8 [ROWS/scale, COLS/scale, 3], height float32 [same]) of the current state."""
    rows, cols = ROWS // scale, COLS // scale
    cx, cy = BOUNDS[0].mean(), BOUNDS[1].mean()
    vm = p.computeViewMatrix((cx, cy, EYE_Z), (cx, cy, 0.0), (1.0, 0.0, 0.0), physicsClientId=sim.client)
    half_y = (BOUNDS[1, 1] - BOUNDS[1, 0]) / 2
    fov = 2 * np.degrees(np.arctan(((BOUNDS[0, 1] - BOUNDS[0, 0]) / 2) / EYE_Z))
    pm = p.computeProjectionMatrixFOV(fov, half_y / ((BOUNDS[0, 1] - BOUNDS[0, 0]) / 2), NEAR, FAR,
                                      physicsClientId=sim.client)
    _, _, rgba, depth, _ = p.getCameraImage(rows, cols, vm, pm, renderer=p.ER_TINY_RENDERER,
                                            physicsClientId=sim.client)
    rgb = np.asarray(rgba, dtype=np.uint8).reshape(cols, rows, 4)[:, :, :3]
    d = np.asarray(depth, dtype=np.float32).reshape(cols, rows)
    z = FAR * NEAR / (FAR - (FAR - NEAR) * d)  # the depth buffer back to metres from the eye
    height = np.clip(EYE_Z - z, 0.0, None).astype(np.float32)
    # camera image: row 0 at +x (the up vector), column 0 at +y; to Ravens' (y rows, x cols)
    rgb, height = rgb[::-1].transpose(1, 0, 2)[::-1], height[::-1].T[::-1]
    return np.ascontiguousarray(rgb), np.ascontiguousarray(height)


def to_pixel(x: float, y: float, scale: int = 1) -> tuple[int, int]:
    """(row, col) of a world point on the grid (clipped to it)."""
    size = PIXEL * scale
    row = int(np.clip((y - BOUNDS[1, 0]) // size, 0, ROWS // scale - 1))
    col = int(np.clip((x - BOUNDS[0, 0]) // size, 0, COLS // scale - 1))
    return row, col


def to_world(row: int, col: int, height: np.ndarray, scale: int = 1) -> tuple[float, float, float]:
    """The world point under a pixel (its centre), at the height map's height there."""
    size = PIXEL * scale
    return (float(BOUNDS[0, 0] + (col + 0.5) * size), float(BOUNDS[1, 0] + (row + 0.5) * size),
            float(height[row, col]))
