"""GenSim's get_random_pose: a uniformly drawn free pixel of the oracle's top-down view.

GenSim renders the workspace from above, marks every pixel showing one of the task's objects as taken
(what is seen, not what is declared: a corner marker takes only its two thin bars, so a ball may be
drawn onto the marker's target), clears the image border, erodes the free pixels with a square as wide
as the new object's diagonal, and draws one free pixel with `np.random.choice`; z is half the object's
height and the rotation about z is drawn next. With no free pixel it takes the image centre. This is
that procedure on this simulator's render of the same grid (`env.observe.segmentation`: 320 x 160
pixels of 3.125 mm), drawing from the same global `np.random` in the same order, so a seed lays a
scene out as GenSim's would wherever the two renders agree.
"""

from __future__ import annotations

import math

import numpy as np

from ..env.observe import PIXEL, segmentation
from ..env.sim import BOUNDS, Sim


def erode(free: np.ndarray, k: int) -> np.ndarray:
    """cv2.erode(free, np.ones((k, k))) with cv2's defaults: the kernel anchored at (k // 2, k // 2) and
    pixels outside the image counting as free (GenSim clears the border itself)."""
    if k <= 1:
        return free.copy()
    before, after = k // 2, k - 1 - k // 2
    padded = np.pad(free.astype(np.int32), ((before, after), (before, after)), constant_values=1)
    sums = padded.cumsum(0).cumsum(1)
    sums = np.pad(sums, ((1, 0), (1, 0)))
    window = sums[k:, k:] - sums[:-k, k:] - sums[k:, :-k] + sums[:-k, :-k]
    return (window == k * k).astype(np.uint8)


def free_pixels(ids: np.ndarray, taken: set[int], size) -> np.ndarray:
    """uint8 mask of the pixels where an object of `size` can be centred, as GenSim computes it."""
    free = np.ones(ids.shape, dtype=np.uint8)
    if taken:
        free[np.isin(ids, sorted(taken))] = 0
    free[0, :], free[:, 0], free[-1, :], free[:, -1] = 0, 0, 0, 0
    k = int(np.round(math.hypot(float(size[0]), float(size[1])) / PIXEL))
    return erode(free, k)


def gensim_pose(sim: Sim, taken: set[int], size) -> tuple[list, list, bool]:
    """(position, quaternion, fell back to the centre) for an object of `size` ((x, y) or (x, y, z))."""
    free = free_pixels(segmentation(sim), taken, size)
    if free.sum() == 0:
        pix, fallback = (free.shape[0] // 2, free.shape[1] // 2), True
    else:  # utils.sample_distribution: the same call, so the same draw from the same state
        flat = np.float32(free).flatten()
        index = np.random.choice(np.arange(len(flat)), 1, p=flat / flat.sum(), replace=False)
        row, col = np.unravel_index(int(index[0]), free.shape)
        pix, fallback = (int(row), int(col)), False
    x = float(BOUNDS[0, 0] + pix[1] * PIXEL)  # utils.pix_to_xyz: the pixel's corner, column -> x
    y = float(BOUNDS[1, 0] + pix[0] * PIXEL)
    z = float(size[2]) / 2 if len(size) > 2 else 0.05
    theta = np.random.rand() * 2 * np.pi
    return [x, y, z], [0.0, 0.0, float(np.sin(theta / 2)), float(np.cos(theta / 2))], fallback
