"""One episode's world as task code sees it: the `env` facade and collision-free placement.

Task code gets a `TaskEnv` whose only members are `add_object` (a closure) and `obj_ids`; the
simulator, the records and the random state stay in `World`, which task code has no path to
(private and dunder attributes are rejected statically, and closures hide the rest).
"""

from __future__ import annotations

import dataclasses
import math
import random

import numpy as np

from ..catalogue.assets import Asset, Resolved, resolve
from ..catalogue.urdf import from_fields
from ..errors import TaskDefect, Unsupported
from ..env.sim import BOUNDS, Sim

MAX_OBJECTS = 96  # a GenSim pile is 50 blocks, a rope 20 beads; two of them and their zones fit
POSE_TRIES = 200
BEAD = "rope/bead"  # the name a rope's links are logged and listed under
MARGIN = 0.005  # metres of clearance between sampled footprints


class TaskEnv:
    """The `env` argument of `Task.reset(env)`."""

    __slots__ = ("add_object", "obj_ids")

    def __init__(self, add_object, obj_ids):
        self.add_object = add_object
        self.obj_ids = obj_ids


class World:
    def __init__(self, sim: Sim, seed: int, dialect: str = "roboinstruct", assets: dict | None = None):
        self.sim = sim
        self.seed = seed
        self.gensim = dialect == "gensim"  # GenSim's meaning of the calls (catalogue.gensim, pose fallback)
        self.assets = {n: from_fields(f) for n, f in (assets or {}).items()}  # a checkout's own asset files
        self.notes: list[str] = []  # where GenSim's meaning filled in what the task left out
        self.rng = random.Random(seed)
        self.defects: list[BaseException] = []  # raised into task code, recorded even if it swallowed them
        self.footprints: list[tuple[float, float, float]] = []  # (x, y, radius) of everything placed
        self.loaded: list[str] = []  # catalogue names actually loaded
        self.nominal: set[int] = set()  # bodies whose template got GenSim's dummy size, not the task's
        self.obj_ids = {"rigid": [], "fixed": [], "deformable": []}
        self.env = TaskEnv(self._add_object_closure(), self.obj_ids)

    def fail(self, exc: BaseException) -> BaseException:
        self.defects.append(exc)
        return exc

    def _add_object_closure(self):
        world = self

        def add_object(urdf, pose, category="rigid", color=None, **_ignored):
            return world.add_object(urdf, pose, category, color)

        return add_object

    def add_object(self, urdf, pose, category="rigid", color=None) -> int:
        try:
            if category not in ("rigid", "fixed"):
                raise Unsupported(f"env.add_object: category {category!r} (deformable bodies) is not supported")
            if len(self.sim.bodies) >= MAX_OBJECTS:
                raise TaskDefect("reset", f"more than {MAX_OBJECTS} objects added")
            resolved = resolve(urdf, np.random.uniform if self.gensim else None, self.assets)
            if self.gensim and isinstance(urdf, str) and "?" not in urdf and resolved.filled:
                self._note(f"template {urdf!r} not filled: GenSim's dummy size "
                           f"{tuple(round(v, 3) for v in resolved.size)} used")
            if self.gensim and _bare_position(pose):  # GenSim adds the identity rotation
                pose = (pose, (0.0, 0.0, 0.0, 1.0))
            position, orientation = _pose(pose)
            rgba = _color(color if color is not None else resolved.color)
        except (TaskDefect, Unsupported) as exc:
            raise self.fail(exc) from None
        if self.gensim and category == "rigid" and not resolved.asset.pickable and resolved.asset.collision:
            # GenSim's suction lifts any rigid object it touches (a bowl, a container): only 'fixed' stays put
            resolved = dataclasses.replace(resolved, asset=dataclasses.replace(resolved.asset, pickable=True))
        body = self.sim.add(resolved, position, orientation, category == "fixed", rgba)
        if self.gensim and isinstance(urdf, str) and "?" not in urdf and resolved.filled:
            self.nominal.add(body)
        self.obj_ids[category].append(body)
        self.loaded.append(resolved.asset.name)
        x, y, z = resolved.size
        self.footprints.append((position[0], position[1], math.hypot(x, y) / 2))
        return body

    def add_bead(self, radius: float, position, color) -> int:
        """One link of a GenSim rope (`gensim_objects.make_ropes`): a small box of half side `radius`,
        added as a rigid object, its footprint counted like any other's."""
        try:
            if len(self.sim.bodies) >= MAX_OBJECTS:
                raise TaskDefect("reset", f"more than {MAX_OBJECTS} objects added")
            position, orientation = _pose((position, (0.0, 0.0, 0.0, 1.0)))
            rgba = _color(color)
        except (TaskDefect, Unsupported) as exc:
            raise self.fail(exc) from None
        bead = Asset(name=BEAD, shape="box", size=(2 * radius,) * 3, pickable=True, symmetry=0.0,
                     describe="a link of a GenSim rope")
        body = self.sim.add(Resolved(bead, bead.size), position, orientation, False, rgba)
        self.obj_ids["rigid"].append(body)
        self.loaded.append(BEAD)
        self.footprints.append((position[0], position[1], math.sqrt(2) * radius))
        return body

    def link(self, parent: int, child: int, distance: float) -> None:
        """A ball joint holding `child` `distance` above `parent`'s origin (GenSim's rope joint)."""
        self.sim.link(parent, child, distance)

    def random_pose(self, size) -> tuple[list, list]:
        """A collision-free pose for an object of `size` (z = half height), from np.random like
        GenSim's; raises instead of GenSim's fallback to the table centre."""
        try:
            sx, sy = float(size[0]), float(size[1])
            sz = float(size[2]) if len(size) > 2 else 0.0
        except (TypeError, ValueError, IndexError):
            raise self.fail(TaskDefect("reset", f"get_random_pose: obj_size must be (x, y, z), got {size!r}")) from None
        radius = math.hypot(sx, sy) / 2
        (x0, x1), (y0, y1) = BOUNDS[0], BOUNDS[1]
        if (x1 - x0 < 2 * radius or y1 - y0 < 2 * radius) and self.gensim:
            return self._centre(size, sz)
        if x1 - x0 < 2 * radius or y1 - y0 < 2 * radius:
            raise self.fail(TaskDefect("reset", f"get_random_pose: an object of size {size!r} does not fit in the workspace"))
        for _ in range(POSE_TRIES):
            x = x0 + radius + np.random.rand() * (x1 - x0 - 2 * radius)
            y = y0 + radius + np.random.rand() * (y1 - y0 - 2 * radius)
            if all(math.hypot(x - fx, y - fy) >= radius + fr + MARGIN for fx, fy, fr in self.footprints):
                theta = np.random.rand() * 2 * np.pi
                return [float(x), float(y), sz / 2], [0.0, 0.0, float(np.sin(theta / 2)), float(np.cos(theta / 2))]
        if self.gensim:
            return self._centre(size, sz)
        raise self.fail(TaskDefect("reset", f"get_random_pose: no collision-free place for an object of size "
                                            f"{tuple(round(float(v), 3) for v in size)} after {POSE_TRIES} tries "
                                            f"({len(self.footprints)} objects already on the table)"))


    def _centre(self, size, sz: float) -> tuple[list, list]:
        """GenSim's fallback when no free place is left: the workspace centre, random rotation."""
        self._note("get_random_pose found no free place: GenSim's fallback to the table centre used")
        (x0, x1), (y0, y1) = BOUNDS[0], BOUNDS[1]
        theta = np.random.rand() * 2 * np.pi
        return ([float((x0 + x1) / 2), float((y0 + y1) / 2), sz / 2 if len(size) > 2 else 0.05],
                [0.0, 0.0, float(np.sin(theta / 2)), float(np.cos(theta / 2))])

    def _note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < 20:
            self.notes.append(text)


def _bare_position(pose) -> bool:
    try:
        return len(pose) == 3 and not hasattr(pose[0], "__len__")
    except TypeError:
        return False


def _pose(pose) -> tuple[tuple, tuple]:
    try:
        position, orientation = pose
        position = tuple(float(v) for v in position)
        orientation = tuple(float(v) for v in orientation)
        assert len(position) == 3 and len(orientation) == 4
        assert all(math.isfinite(v) for v in position + orientation)
    except (TypeError, ValueError, AssertionError):
        raise TaskDefect("reset", f"env.add_object: pose must be ((x, y, z), (qx, qy, qz, qw)), got {pose!r}") from None
    return position, orientation


def _color(color):
    from ..catalogue.colors import COLORS

    if color is None:
        return None
    if isinstance(color, str):
        if color not in COLORS:
            raise TaskDefect("reset", f"unknown colour {color!r}; utils.COLORS has {', '.join(sorted(COLORS))}")
        return tuple(COLORS[color])
    try:
        rgba = tuple(float(v) for v in color)
    except (TypeError, ValueError):
        raise TaskDefect("reset", f"colour must be a name or (r, g, b[, a]), got {color!r}") from None
    if len(rgba) not in (3, 4):
        raise TaskDefect("reset", f"colour must be a name or (r, g, b[, a]), got {color!r}")
    return rgba
