"""GenSim's get_random_pose (taskapi.free_space): free pixels of the top-down view, eroded by the new
object's diagonal, one drawn with GenSim's own call on the global np.random."""

from __future__ import annotations

import math

import numpy as np
import pytest

from roboinstruct.tabletop.catalogue.assets import fill_template, resolve
from roboinstruct.tabletop.env.observe import COLS, PIXEL, ROWS, segmentation, to_pixel
from roboinstruct.tabletop.env.sim import BOUNDS, Sim
from roboinstruct.tabletop.taskapi import free_space
from roboinstruct.tabletop.taskapi.world import World


def cv2_erode(free: np.ndarray, k: int) -> np.ndarray:
    """cv2.erode's definition with its defaults, written out slowly: the minimum over a k x k window
    anchored at (k // 2, k // 2); pixels outside the image do not erode."""
    out = np.zeros_like(free)
    rows, cols = free.shape
    for r in range(rows):
        for c in range(cols):
            r0, c0 = r - k // 2, c - k // 2
            win = free[max(r0, 0):min(r0 + k, rows), max(c0, 0):min(c0 + k, cols)]
            out[r, c] = win.min()
    return out


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7])
def test_erosion_matches_cv2s_definition_even_and_odd_kernels(k):
    rng = np.random.default_rng(k)
    free = (rng.random((23, 17)) > 0.15).astype(np.uint8)
    free[0, :] = 0
    assert np.array_equal(free_space.erode(free, k), cv2_erode(free, k))


def test_the_view_marks_what_is_seen_and_the_sampler_keeps_clear_of_it():
    sim = Sim()
    try:
        box = sim.add(resolve(fill_template("box/box-template.urdf", {"DIM": (0.1, 0.1, 0.05)})), (0.5, 0.0, 0.025), (0, 0, 0, 1), False, None)
        ids = segmentation(sim)
        assert ids.shape == (ROWS, COLS)
        r, c = to_pixel(0.5, 0.0)
        assert ids[r, c] == box and ids[to_pixel(0.3, 0.3)] != box  # the box where it is, nothing elsewhere
        seen = (ids == box).sum() * PIXEL ** 2
        assert seen == pytest.approx(0.01, rel=0.1)  # its 10 x 10 cm top, on GenSim's 3.125 mm grid
        free = free_space.free_pixels(ids, {box}, (0.04, 0.04, 0.04))
        k = round(math.hypot(0.04, 0.04) / PIXEL)
        assert free[r, c] == 0 and free[0].sum() == 0 and free[:, 0].sum() == 0  # the box and the border
        assert free[to_pixel(0.5, 0.0 + 0.05 + k * PIXEL)] == 1  # a diagonal's width beyond its edge: free
        np.random.seed(3)
        for _ in range(20):
            (x, y, z), q, fallback = free_space.gensim_pose(sim, {box}, (0.04, 0.04, 0.04))
            assert not fallback and z == 0.02 and q[0] == q[1] == 0.0
            assert BOUNDS[0, 0] <= x <= BOUNDS[0, 1] and BOUNDS[1, 0] <= y <= BOUNDS[1, 1]
            assert max(abs(x - 0.5), abs(y - 0.0)) >= 0.05 + 0.028 - 2 * PIXEL  # clear of the box by half a diagonal
    finally:
        sim.close()


def test_the_same_seed_draws_the_same_pose_and_a_full_table_falls_back_to_the_centre():
    sim = Sim()
    try:
        np.random.seed(11)
        first = free_space.gensim_pose(sim, set(), (0.05, 0.05, 0.05))
        np.random.seed(11)
        assert free_space.gensim_pose(sim, set(), (0.05, 0.05, 0.05)) == first
        pos, _, fallback = free_space.gensim_pose(sim, set(), (0.6, 0.6, 0.1))  # wider than the workspace
        assert fallback and pos[:2] == [BOUNDS[0, 0] + (COLS // 2) * PIXEL, BOUNDS[1, 0] + (ROWS // 2) * PIXEL]
    finally:
        sim.close()


CORNER = fill_template("corner/corner-template.urdf", {"DIMX": (0.04,), "DIMY": (0.04,)})


def test_gensims_dialect_may_place_next_to_a_markers_target_where_this_projects_does_not():
    """A corner marker takes only its two thin bars in GenSim's view: the ground beside its target point
    (the corner's origin) stays free for the next object, as GenSim's own tasks then find a ball parked
    on a corner. This project's dialect keeps every declared footprint apart."""
    sim = Sim()
    try:
        world = World(sim, 0, "gensim")
        corner = world.env.add_object(CORNER, ((0.5, 0.0, 0.0), (0, 0, 0, 1)), "fixed")
        free = free_space.free_pixels(segmentation(sim), {corner}, (0.02, 0.02, 0.02))
        beside = (0.5 - 0.02, 0.0 - 0.02)  # 2.8 cm from the target, 2 cm from either bar
        assert free[to_pixel(*beside)] == 1 and free[to_pixel(0.5 + 0.02, 0.0)] == 0  # on the bar: taken
        keep_apart = world.footprints[-1][2] + math.hypot(0.02, 0.02) / 2  # this project's dialect's distance
        assert math.hypot(0.02, 0.02) < keep_apart
        np.random.seed(5)
        (x, y, z), _ = world.random_pose((0.02, 0.02, 0.02))  # GenSim's procedure in GenSim's dialect
        assert free[to_pixel(x + PIXEL / 2, y + PIXEL / 2)] == 1 and z == 0.01
    finally:
        sim.close()
