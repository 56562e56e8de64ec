"""GenSim's piles and ropes, built the way GenSim's Task builds them, for files run in its dialect.

Written here from GenSim's documented behaviour (no GenSim code): `make_piles` drops
`task.num_blocks` 1 cm blocks (`block/small.urdf`) at random in a 20 cm square 15-35 cm in x and
40-60 cm in y from the workspace's near corner, each turned at random, at 1 cm up; `make_ropes` adds
`n_parts` small boxes (half side `radius`) stacked upright over a random free spot, each held by a
ball joint `|corner1 - corner0| / n_parts` above the one before (the rope falls over as the scene
settles), its inner links coloured, and returns GenSim's goal triple: the links (symmetry 0), one
target per link evenly along corner0 → corner1, and a matches matrix letting the rope lie either way
round. Both draw from `np.random` in GenSim's order, so a file's seed gives GenSim's layout.
Task code reaches them only through the Task API (`Task.make_piles`, `Task.make_ropes`): the world
adds the bodies and the joints; nothing here hands task code the simulator.
"""

from __future__ import annotations

import math
import re

import numpy as np

from ..catalogue.colors import COLORS
from ..errors import TaskDefect, Unsupported

PILE_BLOCK = "block/small.urdf"
MAX_PARTS = 60  # links of one rope
RADIUS = (0.002, 0.03)  # metres: a link's half side


def _gensim(world, what: str) -> None:
    if not world.gensim:
        raise world.fail(Unsupported(f"{what} is GenSim's (run the file with --gensim PATH)"))


def make_piles(task, world, block_color=None) -> list[int]:
    """GenSim's Task.make_piles: the blocks' ids, in the order added."""
    _gensim(world, "make_piles: a pile of small blocks")
    try:
        count = int(getattr(task, "num_blocks", 50))
    except (TypeError, ValueError, OverflowError):
        raise world.fail(TaskDefect("reset", "make_piles: self.num_blocks must be a whole number")) from None
    if count < 1:
        raise world.fail(TaskDefect("reset", f"make_piles: self.num_blocks is {count}"))
    bounds = np.asarray(task.bounds, dtype=float) if _is_bounds(getattr(task, "bounds", None)) else \
        np.array([[0.25, 0.75], [-0.5, 0.5], [0.0, 0.3]])
    color = _pile_color(world, block_color)
    ids = []
    for _ in range(count):  # np.random in GenSim's order: x, y, then the turn
        x = bounds[0, 0] + 0.15 + np.random.rand() * 0.2
        y = bounds[1, 0] + 0.4 + np.random.rand() * 0.2
        theta = np.random.rand() * 2 * np.pi
        turn = (0.0, 0.0, math.sin(theta / 2), math.cos(theta / 2))
        ids.append(world.add_object(PILE_BLOCK, ((float(x), float(y), 0.01), turn), "rigid", color))
    return ids


def _is_bounds(value) -> bool:
    try:
        return np.asarray(value, dtype=float).shape == (3, 2)
    except (TypeError, ValueError):
        return False


def _pile_color(world, color):
    if color is None or isinstance(color, str):
        return color  # a name: the world checks it against utils.COLORS
    try:
        rgb = [float(v) for v in color][:3]
    except (TypeError, ValueError):
        raise world.fail(TaskDefect("reset", f"make_piles: block_color must be a colour name or rgb, "
                                             f"got {color!r}"[:200])) from None
    return rgb + [1.0]


def make_ropes(task, world, corners, radius=0.005, n_parts=20, color_name="red"):
    """GenSim's Task.make_ropes: (objects, targets, matches) for add_goal."""
    _gensim(world, "make_ropes: a rope")
    try:
        corner0, corner1 = (np.float32([float(v) for v in c][:3]) for c in corners)
        radius, n_parts = float(radius), int(n_parts)
    except (TypeError, ValueError, OverflowError):
        raise world.fail(TaskDefect("reset", "make_ropes(env, corners=(xyz, xyz), radius, n_parts): "
                                             f"got corners {corners!r}"[:200])) from None
    if corner0.shape != (3,) or corner1.shape != (3,) or not np.isfinite(np.concatenate([corner0, corner1])).all():
        raise world.fail(TaskDefect("reset", "make_ropes: each corner must be a point (x, y, z)"))
    if not 1 <= n_parts <= MAX_PARTS:
        # GenSim divides by n_parts: a rope of no links is a division by zero there
        raise world.fail(TaskDefect("reset", f"make_ropes: n_parts must be 1..{MAX_PARTS}, got {n_parts}"))
    if not RADIUS[0] <= radius <= RADIUS[1]:
        raise world.fail(TaskDefect("reset", f"make_ropes: radius must be {RADIUS[0]}..{RADIUS[1]} m, got {radius}"))
    if color_name not in COLORS:
        raise world.fail(TaskDefect("reset", f"make_ropes: unknown colour {color_name!r}"[:200]))
    increment = (corner1 - corner0) / n_parts
    step = float(np.linalg.norm(increment))
    if step < 1e-4:
        raise world.fail(TaskDefect("reset", "make_ropes: the two corners are the same point"))
    position = np.float32(world.random_pose((0.1, 0.1, 0.1))[0])  # GenSim draws the spot as get_random_pose does
    objects, targets, parent = [], [], None
    for i in range(n_parts):
        position[2] += step
        inner = 0 < i < n_parts - 1
        part = world.add_bead(radius, [float(v) for v in position], color_name if inner else None)
        if parent is not None:
            world.link(parent, part, step)
        parent = part
        target = corner0 + i * increment + increment / 2
        objects.append((part, (0, None)))
        targets.append(((float(target[0]), float(target[1]), float(target[2])), (0.0, 0.0, 0.0, 1.0)))
    matches = np.clip(np.eye(n_parts) + np.eye(n_parts)[::-1], 0, 1)
    return objects, targets, matches


# GenSim's twenty kitting shapes (kitting/NN.obj): their names in its language goals, and the
# rotation under which each looks the same (0: any, 2*pi: none), as its utils and Task give them
KIT_SHAPES = ("letter R shape", "letter A shape", "triangle", "square", "plus", "letter T shape", "diamond",
              "pentagon", "rectangle", "flower", "star", "circle", "letter G shape", "letter V shape",
              "letter E shape", "letter L shape", "ring", "hexagon", "heart", "letter M shape")
KIT_SYMMETRY = (2 * np.pi, 2 * np.pi, 2 * np.pi / 3, np.pi / 2, np.pi / 2, 2 * np.pi, np.pi, 2 * np.pi / 5, np.pi,
                np.pi / 2, 2 * np.pi / 5, 0, 2 * np.pi, 2 * np.pi, 2 * np.pi, 2 * np.pi, 0, 2 * np.pi / 6,
                2 * np.pi, 2 * np.pi)
KIT_TEMPLATE = "kitting/object-template.urdf"
MAX_KIT_OBJECTS = 20


def get_kitting_shapes(task, n_objects):
    """GenSim's Task.get_kitting_shapes: n shape numbers drawn from the train set (train mode) or the
    test set (one repeated when the task is homogeneous)."""
    n = _count(n_objects, "get_kitting_shapes")
    if getattr(task, "mode", "train") == "train":
        return np.random.choice(_shape_set(task.train_set), n)
    test = _shape_set(task.test_set)
    if getattr(task, "homogeneous", False):
        return np.array([np.random.choice(test)] * n)
    return np.random.choice(test, n)


def make_kitting_objects(task, world, env, targets, obj_shapes, n_objects, colors):
    """GenSim's Task.make_kitting_objects: each shape as an 8 x 8 cm mesh object at a random free pose,
    (objects with GenSim's symmetries, matches to the targets of the same shape)."""
    _gensim(world, "make_kitting_objects: mesh kitting objects")
    n = _count(n_objects, "make_kitting_objects")
    shapes = np.asarray(obj_shapes).reshape(-1)
    try:
        n_targets = len(targets)
    except TypeError:
        raise world.fail(TaskDefect("reset", "make_kitting_objects: targets must be a list")) from None
    if len(shapes) < n or len(colors) < n:
        raise world.fail(TaskDefect("reset", f"make_kitting_objects: {n} objects need {n} shapes and colours"))
    objects, matches = [], []
    for i in range(n):
        shape = int(shapes[i])
        if not 0 <= shape < len(KIT_SHAPES):
            raise world.fail(TaskDefect("reset", f"make_kitting_objects: no kitting shape {shape}"))
        pose = world.random_pose((0.08, 0.08, 0.02))
        urdf = task.fill_template(KIT_TEMPLATE, {"FNAME": (f"{task.assets_root}/kitting/{shape:02d}.obj",),
                                                 "SCALE": [0.003, 0.003, 0.001], "COLOR": colors[i]})
        obj = env.add_object(urdf, pose)
        objects.append((obj, (KIT_SYMMETRY[shape], None)))
        match = np.zeros(n_targets)
        match[np.argwhere(shapes[:n_targets] == shape).reshape(-1)] = 1  # GenSim: shapes against targets
        matches.append(match)
    return objects, matches


MAX_SURFACE_POINTS = 500
MESH_FILE = re.compile(r"([A-Za-z0-9_]+/[A-Za-z0-9_.-]+\.obj)")


def get_target_sample_surface_points(world, model, scale, pose, num_points=50) -> list:
    """GenSim's Task.get_target_sample_surface_points: trimesh's volume sampling of a checkout mesh
    (`model`: a path ending in its `kitting/NN.obj`) — 3 x num_points points uniform in the mesh's
    box, those inside it kept (so possibly fewer), the first num_points, scaled by `scale` and placed
    by `pose` — as target poses with no rotation. Inside: a ray up from the point crosses the mesh's
    triangles an odd number of times."""
    _gensim(world, "get_target_sample_surface_points: a checkout mesh's volume")
    n = _count(num_points, "get_target_sample_surface_points", MAX_SURFACE_POINTS)
    found = MESH_FILE.findall(str(model))
    data = world.assets.get(found[-1]) if found else None
    if data is None or not data.faces:
        raise world.fail(Unsupported(f"get_target_sample_surface_points: mesh {found[-1] if found else str(model)!r} "
                                     f"is not in the GenSim checkout given (--gensim PATH)"))
    try:
        scale = np.asarray([float(v) for v in scale], dtype=float).reshape(3)
        position = np.asarray([float(v) for v in pose[0]], dtype=float).reshape(3)
        rotation = _rotation([float(v) for v in pose[1]])
    except (TypeError, ValueError, IndexError):
        raise world.fail(TaskDefect("reset", "get_target_sample_surface_points: scale is three numbers and "
                                             "pose is (position, quaternion)")) from None
    vertices = np.asarray(data.mesh, dtype=float).reshape(-1, 3)
    lo, hi = vertices.min(axis=0), vertices.max(axis=0)
    points = np.random.random((3 * n, 3)) * (hi - lo) + lo  # trimesh.sample.volume_mesh's draw
    points = points[_inside(points, vertices[np.asarray(data.faces).reshape(-1, 3)])][:n] * scale
    placed = points @ rotation.T + position
    return [((float(x), float(y), float(z)), (0.0, 0.0, 0.0, 1.0)) for x, y, z in placed]


def _inside(points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Which points lie inside a closed mesh: rays cast straight up, crossings counted per point
    (in chunks: points x triangles arrays stay a few MB)."""
    return np.concatenate([_crossings(points[i:i + 64], triangles) for i in range(0, len(points), 64)] or
                          [np.zeros(0, dtype=bool)])


def _crossings(points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    a, b, c = triangles[:, 0], triangles[:, 1], triangles[:, 2]
    det = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1])
    keep = np.abs(det) > 1e-12  # walls (seen edge-on from below) cannot be crossed by a vertical ray
    a, b, c, det = a[keep], b[keep], c[keep], det[keep]
    # rays a hair off the query point: one through a shared edge or vertex would count twice
    px, py = points[:, None, 0] + 1.37e-9, points[:, None, 1] + 2.71e-9
    u = ((b[:, 1] - c[:, 1]) * (px - c[:, 0]) + (c[:, 0] - b[:, 0]) * (py - c[:, 1])) / det
    v = ((c[:, 1] - a[:, 1]) * (px - c[:, 0]) + (a[:, 0] - c[:, 0]) * (py - c[:, 1])) / det
    w = 1 - u - v
    z = u * a[:, 2] + v * b[:, 2] + w * c[:, 2]
    crossed = (u >= 0) & (v >= 0) & (w >= 0) & (z > points[:, None, 2])
    return crossed.sum(axis=1) % 2 == 1


def _rotation(q) -> np.ndarray:
    x, y, z, w = q
    norm = math.sqrt(x * x + y * y + z * z + w * w)
    if not norm or not math.isfinite(norm):
        raise ValueError("quaternion")
    x, y, z, w = x / norm, y / norm, z / norm, w / norm
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                     [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                     [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])


def _count(n, what: str, most: int = MAX_KIT_OBJECTS) -> int:
    try:
        n = int(n)
    except (TypeError, ValueError, OverflowError):
        raise TaskDefect("reset", f"{what}: the number of objects must be a whole number") from None
    if not 0 <= n <= most:
        raise TaskDefect("reset", f"{what}: 0..{most} objects, got {n}")
    return n


def _shape_set(values) -> np.ndarray:
    shapes = np.asarray(values).reshape(-1)
    if not len(shapes) or not all(0 <= int(s) < len(KIT_SHAPES) for s in shapes):
        raise TaskDefect("reset", "get_kitting_shapes: the shape set must be numbers 0..19")
    return shapes

