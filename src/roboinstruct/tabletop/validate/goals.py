"""Goals judged on the caller's side: pure geometry over a scene's poses (numpy, no pybullet).

A goal is met when every object is assigned to a distinct matching target it sits on
(`replace=False`; with `replace=True` targets may be shared) — pose targets within `pos_eps` in
x/y, the right height (a stack is checked, unlike GenSim: exactly for this project's tasks, by
level for GenSim's, whose target heights are nominal), and the right rotation modulo the object's
symmetry; zone targets with all of the object's points inside a zone it matches (GenSim's
zone metric accepts any zone).

The worker's episode drives the oracle with these same functions over the live simulator
(`worker.judge`), and sends the goals and a snapshot of the goal objects after reset and after
every action; `judge_episode` replays that record here, so whether a task's goals were reached is
decided by a process that never ran task code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Z_MAX = 0.3  # the workspace's top (env.sim.BOUNDS[2, 1]): a zone counts what is below it
LIFT = 0.0025  # metres above resting on the table that count as "on a support": half the thinnest
# support in GenSim's assets (5 mm stands, pallet floors, container bottoms)


@dataclass
class Goal:
    objs: list[int]
    symmetries: list[float]
    matches: np.ndarray  # objects x targets, bool
    targets: list[tuple]  # (position, orientation) for 'pose'; (pose, size) for 'zone'
    replace: bool
    rotations: bool
    metric: str
    reward: float
    language: str
    # GenSim's reading of the symmetries (validate.gensim_rules): the task's own, 0 (no rotation
    # check) where it gave none; None: the same as `symmetries`
    given: list | None = None
    # how an elevated target's height is judged: "exact" (this project's tasks: the height matches),
    # "level" (GenSim's dialect, whose target heights are nominal: see pose_fault)
    heights: str = "exact"
    # GenSim's dialect, a zone goal whose matches are over its targ_poses, not its zones: where GenSim's
    # oracle puts each object (poses) and which object may go where (objects x places); its reward
    # ignores matches, so `matches` is then every object to every zone
    places: list | None = None
    place_matches: np.ndarray | None = None

    def to_dict(self) -> dict:
        out = {"objs": self.objs, "symmetries": self.symmetries, "matches": self.matches.astype(int).tolist(),
               "targets": self.targets, "replace": self.replace, "rotations": self.rotations,
               "metric": self.metric, "reward": self.reward, "language": self.language,
               "given": self.given if self.given is not None else self.symmetries, "heights": self.heights}
        if self.places is not None:
            out["places"], out["place_matches"] = self.places, self.place_matches.astype(int).tolist()
        return out

    @classmethod
    def from_dict(cls, d: dict) -> Goal:
        def pose(t):
            return tuple(t[0]), tuple(t[1])

        targets = [pose(t) if d["metric"] == "pose" else (pose(t[0]), tuple(t[1])) for t in d["targets"]]
        places = [pose(t) for t in d["places"]] if d.get("places") is not None else None
        place_matches = None if places is None else \
            np.asarray(d["place_matches"], dtype=int).reshape(len(d["objs"]), len(places)) != 0
        return cls([int(o) for o in d["objs"]], [float(s) for s in d["symmetries"]],
                   np.asarray(d["matches"], dtype=int).reshape(len(d["objs"]), len(targets)) != 0, targets,
                   bool(d["replace"]), bool(d["rotations"]), d["metric"], float(d["reward"]), d["language"],
                   [float(v) for v in d.get("given") or d["symmetries"]],
                   "level" if d.get("heights") == "level" else "exact", places, place_matches)


class Scene:
    """The goal objects at one moment: pose and size by object id (what the worker reports)."""

    def __init__(self, poses: dict, sizes: dict, nominal=()):
        self.poses, self.sizes = poses, sizes
        # objects whose height is not the one the task chose (GenSim's dummy size for a template it
        # left unfilled): its target heights are for another body, so only x-y and rotation count
        self.nominal = frozenset(nominal)

    def pose(self, obj: int) -> tuple:
        return self.poses[obj]

    def size(self, obj: int) -> tuple:
        return self.sizes[obj]

    def to_dict(self) -> dict:
        return {str(o): [*pos, *orn] for o, (pos, orn) in self.poses.items()}

    @classmethod
    def from_dict(cls, poses: dict, sizes: dict, nominal=()) -> Scene:
        return cls({int(o): (tuple(v[:3]), tuple(v[3:7])) for o, v in poses.items()},
                   {int(o): tuple(v) for o, v in sizes.items()}, (int(o) for o in nominal or ()))


def quat_yaw(q) -> float:
    """The yaw of a quaternion (x, y, z, w), as pybullet's getEulerFromQuaternion computes it."""
    x, y, z, w = q
    sarg = -2 * (x * z - w * y)
    if sarg <= -0.99999:
        return 2 * math.atan2(x, -y)
    if sarg >= 0.99999:
        return 2 * math.atan2(-x, y)
    return math.atan2(2 * (x * y + w * z), w * w + x * x - y * y - z * z)


def quat_matrix(q) -> np.ndarray:
    """The 3x3 rotation matrix of a quaternion (x, y, z, w), as pybullet's getMatrixFromQuaternion."""
    x, y, z, w = q
    s = 2.0 / (x * x + y * y + z * z + w * w)
    xs, ys, zs = x * s, y * s, z * s
    wx, wy, wz, xx, xy, xz, yy, yz, zz = w * xs, w * ys, w * zs, x * xs, x * ys, x * zs, y * ys, y * zs, z * zs
    return np.array([[1 - (yy + zz), xy - wz, xz + wy], [xy + wz, 1 - (xx + zz), yz - wx],
                     [xz - wy, yz + wx, 1 - (xx + yy)]])


def assignment(e: np.ndarray) -> dict[int, int]:
    """target -> object of a maximum bipartite matching (objects x targets), by augmenting paths."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set) -> bool:
        for j in np.flatnonzero(e[i]):
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(e.shape[0]):
        augment(i, set())
    return owner


def pose_ok(scene, obj: int, symmetry: float, target: tuple, rotations: bool, pos_eps: float,
            rot_eps: float, heights: str = "exact") -> bool:
    return not pose_fault(scene, obj, symmetry, target, rotations, pos_eps, rot_eps, heights)


def pose_fault(scene, obj: int, symmetry: float, target: tuple, rotations: bool, pos_eps: float,
               rot_eps: float, heights: str = "exact") -> str:
    """Why the object is not at the target ("" when it is)."""
    (x, y, z), orn = scene.pose(obj)
    (tx, ty, tz), torn = target
    off = math.hypot(x - tx, y - ty)
    if off >= pos_eps:
        return f"{off * 100:.1f} cm from its target in x-y"
    h = scene.size(obj)[2]
    rest = h / 2
    if obj in getattr(scene, "nominal", ()):
        # GenSim's dummy size: the target's height was chosen for another body, so it cannot say
        # whether the object belongs on the table or up; a whole layer above it is still too high
        if z - tz >= h:
            return f"a layer above its target (z {z:.3f}, target {tz:.3f}): on top of another object"
    elif heights == "level" and tz > rest + 0.75 * h:
        # GenSim's targets carry a nominal height (its is_match never reads z): Ravens' own pyramid
        # puts layer targets 7-18 mm above where a block rests, its Hanoi pegs 18 mm above a disk,
        # generated files put a box "on a cylinder" at the cylinder's centre or a table-level block
        # at z = its height. Only the level is judged: a target more than 3/4 of the object's height
        # up (the table rule's own bound) is raised, and the object must be off the table (on
        # whatever support, a 5 mm stand included) and not a whole layer above the target (not on
        # top of another object placed there); a lower target is on the table, as below.
        if z - rest < LIFT:
            return f"on the table, its target is raised (z {tz:.3f})"
        if z - tz >= h:
            return f"a layer above its target (z {z:.3f}, target {tz:.3f}): on top of another object"
    elif heights != "level" and tz > rest + 0.25 * h:  # an elevated target (a stack, a shelf): the height must match
        if abs(z - tz) > 0.25 * h + 0.005:
            return f"at height {z:.3f}, its target at {tz:.3f}"
    elif z - rest > 0.75 * h:  # a target on the table: not on top of something its own size
        return f"on top of another object (z {z:.3f}), its target is on the table"
    if rotations and symmetry > 0:
        diff = abs(quat_yaw(orn) - quat_yaw(torn)) % symmetry
        if min(diff, symmetry - diff) >= rot_eps:
            return f"rotated {math.degrees(min(diff, symmetry - diff)):.0f}° from its target"
    return ""


def explain(goal: Goal, scene, pos_eps: float, rot_eps: float) -> str:
    """Why a goal is not met, for the first object not placed: the nearest matching target's fault."""
    e = edges(goal, scene, pos_eps, rot_eps)
    if goal.replace or goal.places is not None:
        placed = set(np.flatnonzero(e.any(axis=1)))
    else:
        placed = set(assignment(e).values())
    for i, obj in enumerate(goal.objs):
        if i in placed:
            continue
        if goal.metric == "zone":
            return f"object {obj} is not inside a zone it matches"
        faults = [pose_fault(scene, obj, goal.symmetries[i], goal.targets[j], goal.rotations, pos_eps, rot_eps,
                             goal.heights) for j in np.flatnonzero(goal.matches[i])]
        if faults and all(faults):
            return f"object {obj} is {min(faults, key=lambda f: ('x-y' in f, f))}"
        return f"object {obj} has no target of its own left (another object holds it)"
    return ""


def _points(scene, obj: int) -> np.ndarray:
    sx, sy, sz = scene.size(obj)
    grid = [(a * sx * 0.4, b * sy * 0.4, c * sz * 0.4) for a in (-1, 0, 1) for b in (-1, 0, 1) for c in (-1, 0, 1)]
    pos, orn = scene.pose(obj)
    return np.array(grid) @ quat_matrix(orn).T + np.array(pos)


def in_zone(scene, obj: int, zone: tuple) -> float:
    """Fraction of the object's points inside the zone's x/y footprint."""
    (zpos, zorn), (zx, zy) = zone
    pts = _points(scene, obj) - np.array(zpos)
    local = pts @ quat_matrix(zorn)  # world -> zone frame
    inside = (np.abs(local[:, 0]) <= zx / 2) & (np.abs(local[:, 1]) <= zy / 2) & (pts[:, 2] + zpos[2] < Z_MAX)
    return float(inside.mean())


def edges(goal: Goal, scene, pos_eps: float, rot_eps: float) -> np.ndarray:
    """objects x targets: where each object currently satisfies a target it matches."""
    out = np.zeros(goal.matches.shape, dtype=bool)
    for i, obj in enumerate(goal.objs):
        for j in np.flatnonzero(goal.matches[i]):
            if goal.metric == "pose":
                out[i, j] = pose_ok(scene, obj, goal.symmetries[i], goal.targets[j], goal.rotations, pos_eps, rot_eps,
                                    goal.heights)
            else:
                out[i, j] = in_zone(scene, obj, goal.targets[j]) >= 0.999
    return out


def satisfied(goal: Goal, scene, pos_eps: float, rot_eps: float) -> int:
    """How many of the goal's objects are placed (a distinct target each unless replace=True)."""
    e = edges(goal, scene, pos_eps, rot_eps)
    # a goal with GenSim's places is scored over its zones as GenSim's zone reward is: any zone counts
    return int(e.any(axis=1).sum()) if goal.replace or goal.places is not None else len(assignment(e))


def judge_episode(record: dict) -> tuple[list[int], int] | None:
    """(goals met after reset and after each action, goals) of a worker's episode record — its
    goals, tolerances and the scene after reset and after each action — replayed in order as the
    episode does; None when the record holds no scenes."""
    if not record.get("scenes") or not record.get("goal_specs"):
        return None
    goals = [Goal.from_dict(g) for g in record["goal_specs"]]
    pos_eps, rot_eps = record["tolerances"]
    met, out = 0, []
    for snapshot in record["scenes"]:
        scene = Scene.from_dict(snapshot, record["sizes"], record.get("nominal"))
        while met < len(goals) and satisfied(goals[met], scene, pos_eps, rot_eps) == len(goals[met].objs):
            met += 1
        out.append(met)
    return out, len(goals)


def why_unmet(record: dict) -> str:
    """Why the first goal still unmet after the episode's last scene is not met ("" if none is)."""
    judged = judge_episode(record)
    if judged is None or judged[0][-1] >= judged[1]:
        return ""
    goal = Goal.from_dict(record["goal_specs"][judged[0][-1]])
    pos_eps, rot_eps = record["tolerances"]
    return explain(goal, Scene.from_dict(record["scenes"][-1], record["sizes"], record.get("nominal")), pos_eps,
                   rot_eps)
