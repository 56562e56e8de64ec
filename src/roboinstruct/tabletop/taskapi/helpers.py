"""GenSim's Task and `cliport.utils` helpers that task files call, with GenSim's meaning, written
here from their documented behaviour (no GenSim code): pose matching, box point grids, brown
colours, the packing boxes' KD-tree split, the Hanoi move list, kit scales, and `copy`'s plain-data
copies (`copy_data`, `deepcopy_data`). Every helper is bounded (sizes, recursion, point counts), since task
code calls it outside the step meter.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import TaskDefect, Unsupported

MAX_BOXES = 256  # KDTree leaves
MAX_POINTS = 20_000  # get_box_object_points grid size
MAX_HANOI_DISKS = 10
GRID = 0.02  # metres between GenSim's object points


def yaw(q) -> float:
    x, y, z, w = (float(v) for v in q)
    return math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))


def is_match(pose0, pose1, symmetry, pos_eps: float, rot_eps: float) -> bool:
    """GenSim's Task.is_match: x-y distance below pos_eps and, for symmetry > 0, the z rotation
    difference (modulo the symmetry) below rot_eps; height is not compared."""
    if len(pose1) == 3 and not hasattr(pose1[0], "__len__"):
        pose1 = (pose1, (0, 0, 0, 1))
    dist = float(np.linalg.norm(np.float32(pose0[0][:2]) - np.float32(pose1[0][:2])))
    diff = 0.0
    symmetry = float(symmetry)
    if symmetry > 0:
        diff = abs(yaw(pose0[1]) - yaw(pose1[1])) % symmetry
        if diff > symmetry / 2:
            diff = symmetry - diff
    return dist < pos_eps and diff < rot_eps


def box_points(size) -> np.ndarray:
    """GenSim's get_box_object_points: a 3 x N grid of points 2 cm apart over the object's box,
    centred on its origin."""
    dims = [float(d) for d in size[:3]]
    if not all(math.isfinite(d) and d >= 0 for d in dims) or math.prod(math.ceil(d / GRID) for d in dims) > MAX_POINTS:
        raise TaskDefect("reset", f"get_box_object_points: an object of size {tuple(size)} gives over {MAX_POINTS} points")
    axes = [np.arange(-d / 2, d / 2, GRID) for d in dims]
    xv, yv, zv = np.meshgrid(*axes, sparse=False, indexing="xy")
    return np.vstack((xv.reshape(1, -1), yv.reshape(1, -1), zv.reshape(1, -1)))


def brown() -> list:
    """GenSim's color_random_brown: a random shade of (156, 117, 95)."""
    shade = np.random.rand() + 0.5
    return [float(v) for v in np.float32([shade * 156, shade * 117, shade * 95, 255]) / 255]


class TreeNode:
    """A node of the KD-tree GenSim's packing tasks split a container with."""

    def __init__(self, parent, children, bbox):
        self.parent = parent
        self.children = children
        self.bbox = bbox  # min x, min y, min z, max x, max y, max z


def kd_tree(node, min_object_dim, margin, bboxes) -> None:
    """GenSim's utils.KDTree: split node.bbox at random along axes longer than twice
    min_object_dim until none is; the leaves' boxes are appended to `bboxes`."""
    min_object_dim, margin = float(min_object_dim), float(margin)
    if not (min_object_dim > 0 and margin >= 0 and math.isfinite(min_object_dim + margin)):
        raise TaskDefect("reset", "KDTree: min_object_dim must be positive and margin not negative")
    stack, visited = [node], 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > 4 * MAX_BOXES:
            raise TaskDefect("reset", f"KDTree: more than {4 * MAX_BOXES} nodes")
        bbox = np.asarray(node.bbox, dtype=float)
        size = bbox[3:] - bbox[:3]
        split = size > 2 * min_object_dim
        if not split.any():
            bboxes.append(bbox)
            if len(bboxes) > MAX_BOXES:
                raise TaskDefect("reset", f"KDTree: more than {MAX_BOXES} boxes")
            continue
        weights = np.float32(split) / np.sum(split)
        axis = int(np.random.choice(range(len(weights)), 1, p=weights)[0])
        cut = np.random.rand() * (size[axis] - 2 * min_object_dim) + bbox[axis] + min_object_dim
        first, second = bbox.copy(), bbox.copy()
        first[3 + axis] = cut - margin / 2
        second[axis] = cut + margin / 2
        node.children = [TreeNode(node, [], first), TreeNode(node, [], second)]
        stack.extend(reversed(node.children))  # depth first, first child first, as GenSim recurses


def solve_hanoi_all(n_disks) -> list:
    """GenSim's move list for n disks from rod 0 to rod 2: [[disk, from rod, to rod], ...]."""
    n_disks = int(n_disks)
    if not 1 <= n_disks <= MAX_HANOI_DISKS:
        raise TaskDefect("reset", f"solve_hanoi_all: 1..{MAX_HANOI_DISKS} disks, got {n_disks}")
    steps: list = []

    def solve(n, t0, t1, t2):
        if n == 0:
            steps.append([n, t0, t1])
            return
        solve(n - 1, t0, t2, t1)
        steps.append([n, t0, t1])
        solve(n - 1, t2, t1, t0)

    solve(n_disks - 1, 0, 2, 1)
    return steps


def map_kit_scale(scale) -> tuple:
    return tuple(float(v) / 10 for v in scale[:3])


class UnsupportedData:
    """A GenSim data table for assets this simulator does not build (kitting and Google meshes):
    using it says so."""

    def __init__(self, what: str):
        self._what = what

    def _fail(self, *_, **__):
        raise Unsupported(f"{self._what} are not supported")

    __getitem__ = __iter__ = __len__ = __contains__ = get = keys = values = items = _fail


def deepcopy_data(obj, depth: int = 0):
    """`copy.deepcopy` for plain data (lists, dicts, tuples, sets, arrays, numbers, strings)."""
    if depth > 50:
        raise TaskDefect("reset", "copy.deepcopy: nested too deeply")
    if isinstance(obj, list):
        return [deepcopy_data(v, depth + 1) for v in obj]
    if isinstance(obj, tuple):
        return tuple(deepcopy_data(v, depth + 1) for v in obj)
    if isinstance(obj, dict):
        return {deepcopy_data(k, depth + 1): deepcopy_data(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, (set, frozenset)):
        return type(obj)(deepcopy_data(v, depth + 1) for v in obj)
    return copy_data(obj)


def copy_data(obj):
    """`copy.copy` for plain data; anything else is a defect, not a copy of an arbitrary object."""
    if isinstance(obj, (list, dict, set)):
        return type(obj)(obj)
    if isinstance(obj, np.ndarray):
        return obj.copy()
    if obj is None or isinstance(obj, (bool, int, float, complex, str, bytes, tuple, frozenset, np.generic)):
        return obj
    raise TaskDefect("reset", f"copy: only plain data can be copied in task code, not {type(obj).__name__}")
