"""What a task file's imports resolve to: read-only stand-ins, never the real modules.

`import numpy as np` gives an allow-listed numpy (no file, pickle, ctypes or memmap entry
points); `import pybullet as p` gives the few read/compute calls tasks use, bound to the
episode's world (no loadURDF, saveWorld, loadPlugin, connect, ...); `cliport.utils.utils`,
`os`, `random`, `primitives` and grippers are harmless stand-ins. A missing name is an
AttributeError that says it is not available to task code, not a silent substitute.
"""

from __future__ import annotations

import math
import posixpath
import random as _random
import typing as _typing

import numpy as np
import pybullet as _pb

from ..catalogue.colors import COLORS, EVAL_COLORS, TRAIN_COLORS
from ..errors import TaskDefect, Unsupported
from . import helpers
from .gensim_objects import KIT_SHAPES

from ..validate.surface import (LINALG_NAMES, MATH_NAMES, NP_RANDOM_NAMES, NUMPY_NAMES, NUMPY_TYPES, PYBULLET_NAMES,
                                RANDOM_NAMES, UTILS_NAMES)
from .numpy_guard import NumpyType, guard


class ReadOnly:
    """A module-like namespace: listed members only, nothing can be assigned."""

    def __init__(self, name: str, members: dict, hint: str = ""):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_hint", hint)
        for key, value in members.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, key, value):
        raise AttributeError(f"{self._name} is read-only in task code")

    __delattr__ = __setattr__

    def __getattr__(self, key):
        hint = f" ({self._hint})" if self._hint else ""
        raise AttributeError(f"{self._name}.{key} is not available to task code{hint}")


def numpy_standin() -> ReadOnly:
    """numpy through numpy_guard: plain values in and out, classes as NumpyType stand-ins."""
    members = {}
    for n in NUMPY_NAMES:
        value = getattr(np, n, np.float64 if n == "float_" else None)  # float_: gone in numpy 2, GenSim uses it
        if value is None:
            continue
        if n in NUMPY_TYPES:
            members[n] = NumpyType(value)
        elif callable(value):
            members[n] = guard(value, n)
        else:
            members[n] = value  # constants: pi, e, inf, nan, newaxis
    members["random"] = ReadOnly("numpy.random", {n: guard(getattr(np.random, n), n, n == "shuffle")
                                                  for n in NP_RANDOM_NAMES},
                                 "the validator seeds every episode itself")
    members["linalg"] = ReadOnly("numpy.linalg", {n: guard(getattr(np.linalg, n), n) for n in LINALG_NAMES})
    return ReadOnly("numpy", members, "file, pickle and raw-memory functions are left out")


# -- cliport.utils.utils ------------------------------------------------------------------
def _quat(euler) -> tuple:
    return tuple(_pb.getQuaternionFromEuler([float(v) for v in euler]))


def _euler(quat) -> tuple:
    return tuple(_pb.getEulerFromQuaternion([float(v) for v in quat]))


def _multiply(pose0, pose1) -> tuple:
    return _pb.multiplyTransforms(tuple(pose0[0]), tuple(pose0[1]), tuple(pose1[0]), tuple(pose1[1]))


def _invert(pose) -> tuple:
    return _pb.invertTransform(tuple(pose[0]), tuple(pose[1]))


def _apply(pose, position):
    position = np.float32(position)
    shape = position.shape
    position = position.reshape(3, -1)
    rotation = np.float32(_pb.getMatrixFromQuaternion(tuple(pose[1]))).reshape(3, 3)
    translation = np.float32(pose[0]).reshape(3, 1)
    return (rotation @ position + translation).reshape(shape)


def utils_standin(rng: _random.Random) -> ReadOnly:
    colors = {k: list(v) for k, v in COLORS.items()}  # a fresh copy per episode: tasks may mutate it

    def get_colors(mode="train", n_colors=-1, **_):
        names = list(TRAIN_COLORS if mode == "train" else EVAL_COLORS)
        if n_colors != -1:
            names = rng.sample(names, n_colors)
        return [colors[n] for n in names], names

    def get_random_color():
        name = rng.choice(sorted(colors))
        return colors[name], name

    return ReadOnly("cliport.utils.utils", {
        "COLORS": colors, "TRAIN_COLORS": list(TRAIN_COLORS), "EVAL_COLORS": list(EVAL_COLORS),
        "get_colors": get_colors, "get_random_color": get_random_color,
        "get_colors_names": lambda mode="train": list(TRAIN_COLORS if mode == "train" else EVAL_COLORS),
        "apply": _apply, "multiply": _multiply, "invert": _invert,
        "eulerXYZ_to_quatXYZW": _quat, "quatXYZW_to_eulerXYZ": _euler,
        # GenSim's helpers (taskapi.helpers)
        "TreeNode": helpers.TreeNode, "KDTree": helpers.kd_tree, "solve_hanoi_all": helpers.solve_hanoi_all,
        "map_kit_scale": helpers.map_kit_scale,
        "assembling_kit_shapes": dict(enumerate(KIT_SHAPES)),  # a fresh copy per episode, as COLORS
        "google_all_shapes": helpers.UnsupportedData("Google scanned-object meshes"),
        "google_seen_obj_shapes": helpers.UnsupportedData("Google scanned-object meshes"),
        "google_unseen_obj_shapes": helpers.UnsupportedData("Google scanned-object meshes"),
    })


def pybullet_standin(world) -> ReadOnly:
    """The pybullet calls tasks use, bound to `world` (a tabletop Env); object ids only."""

    def body(obj_id):
        if obj_id not in world.sim.bodies:
            raise ValueError(f"p: {obj_id!r} is not an object this task added")
        return obj_id

    def base_link(link):
        # our bodies are single-link primitives: the base (-1) is the only link, and pybullet's C
        # code indexes its link arrays with whatever integer it is given (a negative one crashes)
        if type(link) is not int or link != -1:
            raise ValueError(f"p: link index {link!r}: the task's objects have only the base link (-1)")
        return link

    client = world.sim.client
    members = {
        "getQuaternionFromEuler": _quat, "getEulerFromQuaternion": _euler,
        "getMatrixFromQuaternion": lambda q: tuple(_pb.getMatrixFromQuaternion([float(v) for v in q])),
        "multiplyTransforms": lambda a, b, c, d: _multiply((a, b), (c, d)),
        "invertTransform": lambda a, b: _invert((a, b)),
        "getBasePositionAndOrientation": lambda obj_id: world.sim.pose(body(obj_id)),
        "getAABB": lambda obj_id, linkIndex=-1: _pb.getAABB(body(obj_id), base_link(linkIndex), physicsClientId=client),
        "changeVisualShape": lambda obj_id, link=-1, rgbaColor=None, **_: world.sim.recolor(
            body(obj_id), _rgba(rgbaColor)) if base_link(link) == -1 and rgbaColor is not None else None,
        "resetBasePositionAndOrientation": lambda obj_id, pos, orn: world.sim.move(
            body(obj_id), _floats(pos, 3), _floats(orn, 4)),
        "getVisualShapeData": lambda obj_id, *_, **__: _visual_data(world.sim.bodies[body(obj_id)]),
        # GenSim's files step the simulation in reset to let a rope or a pile settle: the physics
        # child settles every declared scene before anything is judged, so stepping here does nothing
        "stepSimulation": lambda *_, **__: None,
        "GEOM_BOX": _pb.GEOM_BOX, "GEOM_SPHERE": _pb.GEOM_SPHERE, "GEOM_CYLINDER": _pb.GEOM_CYLINDER,
    }
    return ReadOnly("pybullet", members, "task code may not load files, plugins or change the simulation")


def _floats(values, n: int) -> list:
    out = [float(v) for v in values]
    if len(out) != n or not all(math.isfinite(v) for v in out):
        raise ValueError(f"p: expected {n} finite numbers, got {values!r}"[:200])
    return out


def _rgba(values) -> list:
    out = [float(v) for v in values]
    if len(out) == 3:
        out.append(1.0)
    if len(out) != 4 or not all(0.0 <= v <= 1.0 for v in out):
        raise ValueError(f"p: rgbaColor must be 3 or 4 numbers in [0, 1], got {values!r}"[:200])
    return out


def _visual_data(b) -> list:
    """pybullet's getVisualShapeData for one of our bodies: its full size as the dimensions."""
    geom = {"cylinder": _pb.GEOM_CYLINDER, "sphere": _pb.GEOM_SPHERE}.get(b.shape, _pb.GEOM_BOX)
    rgba = tuple(b.color or (0.55, 0.55, 0.55))[:4]
    return [(b.id, -1, geom, tuple(float(v) for v in b.size), b"", (0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0),
             rgba + (1.0,) * (4 - len(rgba)))]


def _unsupported(what: str):
    def call(*_, **__):
        raise Unsupported(what)
    return call


class Marker:
    """An end effector or primitive a task may name; the validator checks which one it chose.
    Read-only: one object shared by every task of the process, and `supported` (in this project's
    own dialect), `motion` ("pick" or "push": how the oracle acts) and `lift` (None: the default
    travel height; metres: GenSim's `PickPlace(height=...)`, the rope tasks' low carry) are verdict
    inputs."""

    __slots__ = ("name", "supported", "motion", "lift")

    def __init__(self, name: str, supported: bool, motion: str = "pick", lift: float | None = None):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "supported", supported)
        object.__setattr__(self, "motion", motion)
        object.__setattr__(self, "lift", lift)

    def __setattr__(self, key, value):
        raise AttributeError(f"{self.name} is read-only in task code")

    __delattr__ = __setattr__

    def __call__(self, *args, **kwargs):
        # primitives.PickPlace(height=0.02, speed=0.001): GenSim's rope primitive lifts an object
        # only `height` above where it was picked and carries it there (a rope drags along the table)
        height = kwargs.get("height", args[0] if args else None)
        if self.motion != "pick" or height is None or self.name != "PickPlace":
            return self
        try:
            lift = float(height)
        except (TypeError, ValueError):
            raise TaskDefect("reset", f"PickPlace: height must be a number, got {height!r}"[:200]) from None
        if not MIN_LIFT <= lift <= MAX_LIFT:
            raise TaskDefect("reset", f"PickPlace: height {lift} is outside [{MIN_LIFT}, {MAX_LIFT}] m")
        return Marker(self.name, self.supported, "pick", lift)

    def __repr__(self):
        return self.name


MIN_LIFT, MAX_LIFT = 0.005, 0.32  # metres: GenSim's default PickPlace height is 0.32
SUCTION, SPATULA = Marker("Suction", True), Marker("Spatula", False)
# pushing (GenSim's piles): supported in GenSim's dialect only (validate.worker.episode._motion)
PICK_PLACE, PUSH = Marker("PickPlace", True), Marker("push", False, "push")


def modules(rng: _random.Random, world=None) -> dict:
    """Import name -> stand-in, for one episode."""
    utils = utils_standin(rng)
    os_path = ReadOnly("os.path", {n: getattr(posixpath, n) for n in ("join", "basename", "dirname", "splitext")})
    out = {
        "numpy": numpy_standin(),
        "math": ReadOnly("math", {n: getattr(math, n) for n in MATH_NAMES}),
        "random": ReadOnly("random", {n: getattr(rng, n) for n in RANDOM_NAMES},
            "the validator seeds every episode itself"),
        "os": ReadOnly("os", {"path": os_path}, "task code has no access to the system"),
        "typing": ReadOnly("typing", {n: getattr(_typing, n) for n in ("Tuple", "List", "Dict", "Optional", "Any")}),
        "cliport.utils.utils": utils,
        "cliport.utils": ReadOnly("cliport.utils", {"utils": utils}),
        "cliport.tasks.primitives": ReadOnly("cliport.tasks.primitives", {"PickPlace": PICK_PLACE, "push": PUSH}),
        "cliport.tasks.grippers": ReadOnly("cliport.tasks.grippers", {"Suction": SUCTION, "Spatula": SPATULA}),
    }
    out["copy"] = ReadOnly("copy", {"copy": helpers.copy_data, "deepcopy": helpers.deepcopy_data},
                           "plain data only")
    # GenSim's files import IPython for debugging: embed() does nothing here
    out["IPython"] = ReadOnly("IPython", {"embed": lambda *a, **k: None}, "a debugging shell is not available")
    out["cliport.tasks"] = ReadOnly("cliport.tasks", {"primitives": out["cliport.tasks.primitives"]})
    if world is not None:
        out["pybullet"] = pybullet_standin(world)
    return out

