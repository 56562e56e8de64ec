"""GenSim's Task/utils helpers with GenSim's meaning, bounded (taskapi.helpers)."""

import math

import numpy as np
import pytest

from roboinstruct.tabletop.errors import TaskDefect, Unsupported
from roboinstruct.tabletop.taskapi import helpers


def quat(yaw):
    return (0.0, 0.0, math.sin(yaw / 2), math.cos(yaw / 2))


def test_is_match_compares_xy_and_rotation_modulo_symmetry_not_height():
    a = ((0.5, 0.0, 0.02), quat(0.0))
    assert helpers.is_match(a, ((0.505, 0.0, 0.2), quat(math.pi / 2)), math.pi / 2, 0.01, math.radians(15))
    assert not helpers.is_match(a, ((0.52, 0.0, 0.02), quat(0.0)), 0, 0.01, math.radians(15))
    assert not helpers.is_match(a, ((0.5, 0.0, 0.02), quat(math.pi / 4)), math.pi / 2, 0.01, math.radians(15))
    assert helpers.is_match(a, (0.5, 0.0, 0.02), 0, 0.01, 0.2)  # a bare position gets the identity rotation


def test_box_points_kd_tree_and_hanoi():
    pts = helpers.box_points((0.04, 0.04, 0.04))
    assert pts.shape == (3, 8)
    with pytest.raises(TaskDefect):
        helpers.box_points((10, 10, 10))
    np.random.seed(0)
    boxes = []
    helpers.kd_tree(helpers.TreeNode(None, [], np.array([0, 0, 0, 0.3, 0.3, 0.1])), 0.05, 0.01, boxes)
    assert boxes and all((b[3:5] - b[:2] >= 0.05 - 0.01 / 2 - 1e-9).all() for b in boxes)
    with pytest.raises(TaskDefect):
        helpers.kd_tree(helpers.TreeNode(None, [], np.array([0, 0, 0, 1, 1, 1])), 1e-4, 0, [])
    with pytest.raises(TaskDefect):  # a negative margin grows the boxes forever
        helpers.kd_tree(helpers.TreeNode(None, [], np.array([0, 0, 0, 1, 1, 1])), 0.05, -10, [])
    assert helpers.solve_hanoi_all(3) == [[0, 0, 2], [1, 0, 1], [0, 2, 1], [2, 0, 2], [0, 1, 0], [1, 1, 2], [0, 0, 2]]
    with pytest.raises(TaskDefect):
        helpers.solve_hanoi_all(40)


def test_copy_copies_plain_data_only_and_ipython_is_a_no_op():
    import random

    from roboinstruct.tabletop.taskapi.standins import modules

    stand = modules(random.Random(0))
    copy = stand["copy"]
    data = {"a": [1, (2, [3])], "b": np.zeros(2)}
    deep = copy.deepcopy(data)
    assert deep["a"] == data["a"] and deep["a"][1][1] is not data["a"][1][1]
    with pytest.raises(TaskDefect):
        copy.deepcopy(helpers.TreeNode(None, [], None))
    assert stand["IPython"].embed() is None
    with pytest.raises(Unsupported):
        helpers.UnsupportedData("mesh kitting shapes")[0]
