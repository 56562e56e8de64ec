"""The scripted demonstrator: the next pick-and-place for the current goal.

Objects go to targets they match, respecting `replace` (a distinct target each unless
replace=True), lower targets first, then farthest-from-target first as in Ravens. The pick is at
the top of the object (what a downward suction ray at its centre hits); the place puts the object at the target —
at the target's height when the target is elevated (stacks), otherwise lowered until contact.
Actions are Ravens' (pick tip pose, place tip pose) pairs, so demonstrations can be replayed; under
GenSim's push primitive (`next_push`) the same pair is where a push starts and where it heads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pybullet as p

from ...env.sim import BOUNDS, Sim, quat_yaw, yaw_quat
from ..goals import Goal, assignment
from .judge import edges

IDENTITY = (0.0, 0.0, 0.0, 1.0)
# metres from the origin a place may be: the floating tip stands in for GenSim's UR5 (base at the
# origin, 0.85 m reach), which cannot carry an object to a target beyond it (its IK times out and
# the episode ends), whereas the tip could go anywhere on the infinite plane
REACH = 0.85


@dataclass
class Action:
    obj: int
    pick: tuple  # tip pose ((x, y, z), quaternion)
    place: tuple


def _free_spot(sim: Sim, obj: int, centre: tuple, spread_x: float, spread_y: float, yaw: float) -> tuple:
    """The point nearest `centre` (within the spreads, in the target's frame) where the object
    does not land on another one; several objects can then share a bowl or a zone."""
    radius = sim.radius(obj)
    others = [(sim.pose(b)[0], sim.radius(b)) for b in sim.dynamic() if b != obj]
    c, s = math.cos(yaw), math.sin(yaw)
    grid = [(a * spread_x / 2, b * spread_y / 2) for a in range(-2, 3) for b in range(-2, 3)]
    for dx, dy in sorted(grid, key=lambda d: (math.hypot(*d), d)):
        x, y = centre[0] + c * dx - s * dy, centre[1] + s * dx + c * dy
        if all(math.hypot(x - o[0], y - o[1]) >= 0.8 * (radius + r) for o, r in others):
            return x, y
    return centre[0], centre[1]


def _object_target(sim: Sim, goal: Goal, i: int, j: int, pos_eps: float) -> tuple:
    obj = goal.objs[i]
    pos, orn = sim.pose(obj)
    h = sim.bodies[obj].size[2]
    if goal.metric == "zone":
        (zpos, zorn), (zx, zy) = goal.targets[j]
        r = sim.radius(obj)
        x, y = _free_spot(sim, obj, zpos, max(0.0, zx / 2 - r), max(0.0, zy / 2 - r), quat_yaw(zorn))
        return (x, y, h / 2), orn if not goal.rotations else zorn
    (tx, ty, tz), torn = goal.targets[j]
    elevated = tz > h / 2 + 0.25 * h
    if goal.replace:
        tx, ty = _free_spot(sim, obj, (tx, ty), 0.8 * pos_eps, 0.8 * pos_eps, 0.0)
    z = tz if elevated else h / 2
    if not goal.rotations or goal.symmetries[i] == 0:
        return (tx, ty, z), orn
    sym = goal.symmetries[i]
    cur, want = quat_yaw(orn), quat_yaw(torn)
    k = round((cur - want) / sym)
    return (tx, ty, z), yaw_quat(want + k * sym)


def _height(goal: Goal, j: int) -> float:
    return 0.0 if goal.metric == "zone" else float(goal.targets[j][0][2])


def in_view(sim: Sim, obj: int) -> bool:
    """Whether GenSim's oracle sees the object: its heightmap covers the workspace bounds only (x, y, and
    heights up to 0.3 m), so an object that rolled or was pushed off them is not picked again."""
    (x, y, z), _ = sim.pose(obj)
    return bool(BOUNDS[0, 0] <= x < BOUNDS[0, 1] and BOUNDS[1, 0] <= y < BOUNDS[1, 1] and BOUNDS[2, 0] <= z < BOUNDS[2, 1])


def taken(matches: np.ndarray, e: np.ndarray) -> tuple[set, set]:
    """GenSim's oracle without replacement: (objects placed, targets taken). It walks the objects in
    order and, for each target an object matches, takes the object and that target out when the object
    is there, on its own copy of the matches as it goes, so an object lying where two of its targets
    meet (a rope's middle, matched both ways round) takes both."""
    m = np.array(matches, dtype=bool)
    placed, used = set(), set()
    for i in range(m.shape[0]):
        for j in np.flatnonzero(m[i]):
            if e[i, j]:
                m[i, :] = False
                m[:, j] = False
                placed.add(i)
                used.add(int(j))
    return placed, used


def placing(goal: Goal) -> Goal:
    """The goal the oracle works on: a zone goal with GenSim's places (`Goal.places`) is demonstrated
    as GenSim's oracle does it, as a pose goal over those places."""
    if goal.places is None:
        return goal
    return Goal(goal.objs, goal.symmetries, goal.place_matches, goal.places, goal.replace, goal.rotations, "pose",
                goal.reward, goal.language, goal.given, goal.heights)


def next_action(goal: Goal, sim: Sim, pos_eps: float, rot_eps: float, gensim: bool = False) -> Action | str:
    """The next action, or a string saying why there is none (`gensim`: objects count as placed by
    GenSim's is_match, as GenSim's oracle counts them)."""
    goal = placing(goal)
    e = edges(goal, sim, pos_eps, rot_eps, gensim)
    if gensim and not goal.replace:
        placed, used = taken(goal.matches, e)
    else:
        owner = {} if goal.replace else assignment(e)
        placed = set(owner.values()) if not goal.replace else set(np.flatnonzero(e.any(axis=1)))
        used = set(owner)
    order = []
    for i, obj in enumerate(goal.objs):
        if i in placed:
            continue
        pos = np.array(sim.pose(obj)[0][:2])
        choices = [j for j in np.flatnonzero(goal.matches[i]) if goal.replace or j not in used]
        if not choices:
            continue
        centres = [np.array((goal.targets[j][0][0] if goal.metric == "zone" else goal.targets[j][0])[:2])
                   for j in choices]
        dists = [float(np.linalg.norm(c - pos)) for c in centres]
        k = int(np.argmin(dists))
        order.append((dists[k], i, choices[k]))
    if not order:
        return "no object is left to move but the goal is not met"
    # lower targets first (a block cannot go onto a layer that is not there yet; Ravens' farthest-first
    # alone builds a one-goal stack in whatever order the distances give), then farthest first
    order.sort(key=lambda t: (round(_height(goal, t[2]), 3), -t[0]))
    for _, i, j in order:
        obj = goal.objs[i]
        if gensim and not in_view(sim, obj):
            continue  # off GenSim's oracle's heightmap: it cannot see, so cannot pick, this object
        for x, y in sim.grasp_points(obj):
            hit, top = sim.top_body_at(x, y)
            if hit == obj:
                break
        else:
            continue  # covered by something else; try another object first
        # the object's pose as a planar (Ravens, not six-dof) oracle reads it: its yaw only, so an object
        # lying tipped over is still carried to the target's x-y, not off it by its tilt
        obj_pose = (sim.pose(obj)[0], yaw_quat(quat_yaw(sim.pose(obj)[1])))
        pick = ((x, y, top), IDENTITY)
        inv = p.invertTransform(*pick)
        obj_in_tip = p.multiplyTransforms(inv[0], inv[1], *obj_pose)
        target = _object_target(sim, goal, i, j, pos_eps)
        if math.hypot(target[0][0], target[0][1]) > REACH:
            return (f"the target of object {obj} at ({target[0][0]:.2f}, {target[0][1]:.2f}) is beyond an arm's "
                    f"reach ({REACH} m from the base at the origin)")
        tip_in_obj = p.invertTransform(*obj_in_tip)
        place = p.multiplyTransforms(target[0], target[1], *tip_in_obj)
        return Action(obj, pick, (tuple(place[0]), tuple(place[1])))
    return f"every object still to move is covered by another object or off the table ({', '.join(str(goal.objs[i]) for _, i, _ in order)})"


def next_push(goal: Goal, sim: Sim, pos_eps: float, rot_eps: float, gensim: bool = True) -> Action | str:
    """GenSim's oracle under its push primitive (piles): the object farthest from its nearest
    matching target (a zone's centre for a zone goal) that a suction camera would see on top, pushed
    from where it is towards that target. Without replacement an object already at a target takes
    that target out, as GenSim's oracle does; objects inside a zone are still pushed (GenSim's
    oracle does not look at zones), so a push moves whatever lies on the way."""
    goal = placing(goal)
    e = edges(goal, sim, pos_eps, rot_eps, gensim)
    matches = goal.matches.copy()
    if not goal.replace:
        placed, used = taken(goal.matches, e)
        matches[sorted(placed), :] = False
        matches[:, sorted(used)] = False
    order = []
    for i, obj in enumerate(goal.objs):
        choices = np.flatnonzero(matches[i])
        if not len(choices):
            continue
        pos = np.array(sim.pose(obj)[0])
        centres = [np.array(goal.targets[j][0][0] if goal.metric == "zone" else goal.targets[j][0]) for j in choices]
        dists = [float(np.linalg.norm(c - pos)) for c in centres]
        k = int(np.argmin(dists))
        if dists[k] > 0:
            order.append((dists[k], i, centres[k]))
    if not order:
        return "no object is left to push but the goal is not met"
    order.sort(key=lambda t: -t[0])  # farthest first
    for _, i, centre in order:
        obj = goal.objs[i]
        (x, y, z), _ = sim.pose(obj)
        hit, _ = sim.top_body_at(x, y)
        if hit != obj or not in_view(sim, obj):
            continue  # covered or off the table: GenSim's oracle picks only what its top-down camera sees
        if math.hypot(centre[0], centre[1]) > REACH:
            return (f"the target of object {obj} at ({centre[0]:.2f}, {centre[1]:.2f}) is beyond an arm's "
                    f"reach ({REACH} m from the base at the origin)")
        return Action(obj, ((x, y, z), IDENTITY), ((float(centre[0]), float(centre[1]), float(centre[2])), IDENTITY))
    return "every object still to push is covered by another object"
