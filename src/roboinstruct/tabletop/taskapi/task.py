"""The `Task` base class generated code subclasses — GenSim's task API, without its silent fallbacks.

A task's `__init__` sets `max_steps`, `lang_template`, `task_completed_desc`; `reset(env)`
adds objects with `env.add_object(...)` and declares goals with `self.add_goal(...)` (or, Ravens
style, by appending 8-tuples to `self.goals`). Goals and language goals stay in GenSim's
formats, so GenSim's files run unchanged; the validator reads them after `reset` and judges
them with its own code (validate/worker/judge.py) — a subclass overriding `reward` or `is_match` changes nothing.
"""

from __future__ import annotations

import numpy as np

from ..catalogue import assets
from ..errors import TaskDefect, Unsupported
from ..env.sim import BOUNDS
from . import gensim_objects, helpers
from .standins import PICK_PLACE, PUSH, SPATULA, SUCTION

# env facade id -> World, set by the episode runner for the duration of one episode.
WORLDS: dict = {}
# task id -> a callable giving the reward earned so far (goals met in order), during an episode.
PROGRESS: dict = {}


def _body_world(obj):
    for world in WORLDS.values():
        if obj in world.sim.bodies:
            return world
    raise TaskDefect("reset", f"{obj!r} is not an object this task added")


def _body(obj):
    return _body_world(obj).sim.bodies[obj]


def _world(env):
    world = WORLDS.get(id(env))
    if world is None or world.env is not env:
        raise TaskDefect("reset", "this method needs the `env` passed to reset(env)")
    return world


class Task:
    """Base class of every tabletop task (GenSim-compatible)."""

    def __init__(self):
        self.ee = SUCTION
        self.primitive = PICK_PLACE
        self.mode = "train"
        self.sixdof = False
        self.pos_eps = 0.01
        self.rot_eps = np.deg2rad(15)
        self.pix_size = 0.003125
        self.bounds = np.array(BOUNDS)
        self.zone_bounds = np.copy(self.bounds)
        self.goals = []
        self.lang_goals = []
        self.max_steps = 10
        self.lang_template = ""
        self.task_completed_desc = "task completed."
        self.progress = 0
        self.assets_root = "assets"
        self.homogeneous = False
        self.num_blocks = 50  # a pile's blocks (make_piles)
        self.train_set = np.arange(0, 14)
        self.test_set = np.arange(14, 20)

    def reset(self, env):
        """Start an episode: call `super().reset(env)` first, then add objects and goals."""
        self.goals = []
        self.lang_goals = []
        self.progress = 0
        self._rewards = 0.0

    def additional_reset(self):
        """GenSim's adjustments by wording: bowls get a 5 cm tolerance; piles and ropes are unsupported."""
        # (the prompt's API reference shows this docstring, for this project's own dialect, where that
        # holds; in GenSim's dialect a `piles` task pushes with the spatula and a `rope` task carries
        # low and places within 2 cm, as below)
        template = str(self.lang_template)
        if "bowl" in template:
            self.pos_eps = 0.05
        if "piles" in template:
            self.ee, self.primitive = SPATULA, PUSH
        if "rope" in template:
            self.primitive, self.pos_eps = PICK_PLACE(height=0.02, speed=0.001), 0.02

    # -- objects ---------------------------------------------------------------------------
    def get_random_pose(self, env, obj_size, **kwargs):
        """A random collision-free pose ((x, y, z), quaternion) for an object of size (x, y, z),
        resting on the table (z = height / 2) with a random rotation about z."""
        return _world(env).random_pose(obj_size)

    def get_random_size(self, min_x, max_x, min_y, max_y, min_z, max_z):
        """A random (x, y, z) size within the given ranges."""
        size = np.random.rand(3)
        return (float(size[0] * (max_x - min_x) + min_x), float(size[1] * (max_y - min_y) + min_y),
                float(size[2] * (max_z - min_z) + min_z))

    def fill_template(self, template, replace):
        """The asset name to pass to env.add_object for a template with its placeholders filled,
        e.g. self.fill_template('box/box-template.urdf', {'DIM': (0.05, 0.05, 0.05)})."""
        return assets.fill_template(template, replace)

    def add_corner_anchor_for_pose(self, env, pose):
        """Mark `pose` with a small fixed corner (GenSim's helper)."""
        if len(pose) != 2:
            pose = [pose, (0, 0, 0, 1)]
        urdf = self.fill_template("corner/corner-template.urdf", {"DIMX": (0.04,), "DIMY": (0.04,)})
        return env.add_object(urdf, pose, "fixed")

    # -- GenSim's helpers (taskapi.helpers) -------------------------------------------------
    def is_match(self, pose0, pose1, symmetry):
        """GenSim's pose match: x-y within pos_eps, z rotation (modulo symmetry) within rot_eps."""
        return helpers.is_match(pose0, pose1, symmetry, float(self.pos_eps), float(self.rot_eps))

    def get_box_object_points(self, obj):
        """A 3 x N grid of points 2 cm apart over the object's box (GenSim's helper)."""
        return helpers.box_points(_body(obj).size)

    get_sphere_object_points = get_box_object_points

    def get_mesh_object_points(self, obj):
        raise Unsupported("get_mesh_object_points: mesh objects are not supported")

    def color_random_brown(self, obj):
        """Give the object a random shade of brown (GenSim's helper)."""
        world, color = _body_world(obj), helpers.brown()
        world.sim.recolor(obj, [float(v) for v in color])

    def spawn_box(self):
        """GenSim's palletizing refill during its own reward loop; the validator judges goals itself."""
        return None

    def get_reward(self):
        return float(getattr(self, "_rewards", 0.0))

    def set_assets_root(self, assets_root):
        self.assets_root = assets_root

    def get_asset_full_path(self, path):
        return path

    # -- goals -----------------------------------------------------------------------------
    def add_goal(self, objs, matches, targ_poses, replace, rotations, metric, params, step_max_reward,
                 symmetries=None, language_goal=None, **kwargs):
        """Declare the next goal (goals are achieved in order).

        - objs: object ids (or (id, (symmetry, None)) pairs) to move.
        - matches: a len(objs) x len(targets) 0/1 matrix: which object may go to which target.
        - targ_poses: target poses ((x, y, z), quaternion) for metric 'pose'.
        - replace: True if one target may take several objects; False: one object per target.
        - rotations: True if the object's rotation about z must match the target's.
        - metric: 'pose' (at a target pose) or 'zone' (inside a zone).
        - params: for 'zone', [(zone_pose, zone_size)]; else None.
        - step_max_reward: this goal's share of the total reward (all goals sum to 1).
        - symmetries: per-object rotational symmetry in radians (default: the asset's).
        - language_goal: the instruction for this goal (or append it to self.lang_goals).
        """
        self.goals.append((self.zip_obj_ids(objs, symmetries), matches, targ_poses, replace, rotations,
                           metric, params, step_max_reward))
        if isinstance(language_goal, str):
            self.lang_goals.append(language_goal)
        elif isinstance(language_goal, (list, tuple)):
            self.lang_goals.extend(language_goal)

    def zip_obj_ids(self, obj_ids, symmetries):
        if len(obj_ids) and isinstance(obj_ids[0], tuple):
            return list(obj_ids)
        if symmetries is None:
            symmetries = [None] * len(obj_ids)
        return [(obj_id, (sym, None)) for obj_id, sym in zip(obj_ids, symmetries)]

    def reward(self):
        """(reward earned since the last call, info): GenSim's episode API; the validator judges."""
        progress = PROGRESS.get(id(self))
        earned = float(progress()) if progress else 0.0
        delta, self._rewards = earned - getattr(self, "_rewards", 0.0), earned
        return delta, {}

    def done(self):
        """True when every goal is met (not GenSim's 'total reward > 0.99')."""
        progress = PROGRESS.get(id(self))
        return bool(progress) and abs(float(progress()) - 1.0) < 1e-6

    def get_lang_goal(self):
        return self.lang_goals[0] if self.lang_goals else self.task_completed_desc

    # -- GenSim's piles, ropes and kitting shapes ------------------------------------------------------------------
    def make_piles(self, env, block_color=None, *args, **kwargs):
        """GenSim's pile: self.num_blocks (50) small blocks dropped near the table's middle; their ids
        (GenSim's dialect only)."""
        return gensim_objects.make_piles(self, _world(env), block_color)

    def make_ropes(self, env, corners, radius=0.005, n_parts=20, color_name="red", *args, **kwargs):
        """GenSim's rope from corners[0] to corners[1]: (objects, targets, matches) for add_goal
        (GenSim's dialect only)."""
        return gensim_objects.make_ropes(self, _world(env), corners, radius, n_parts, color_name)

    def make_rope(self, *args, **kwargs):
        return self.make_ropes(*args, **kwargs)

    def get_kitting_shapes(self, n_objects):
        """GenSim's kitting shape numbers (0..19) for n objects (its kitting meshes: GenSim's dialect)."""
        return gensim_objects.get_kitting_shapes(self, n_objects)

    def get_target_sample_surface_points(self, model, scale, pose, num_points=50):
        """Target poses at random points inside a checkout's kitting mesh, scaled and placed (GenSim's dialect)."""
        worlds = list(WORLDS.values())
        if len(worlds) != 1:
            raise TaskDefect("reset", "get_target_sample_surface_points is called from reset(env)")
        return gensim_objects.get_target_sample_surface_points(worlds[0], model, scale, pose, num_points)

    def make_kitting_objects(self, env, targets, obj_shapes, n_objects, colors):
        """GenSim's kitting objects at random poses: (objects, matches) for add_goal (GenSim's dialect)."""
        return gensim_objects.make_kitting_objects(self, _world(env), env, targets, obj_shapes, n_objects, colors)
