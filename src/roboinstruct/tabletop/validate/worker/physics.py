"""What happens to a declared scene: settle, interpenetration, the oracle, the snapshots the
caller judges. Trusted code only, run where no task code ever ran.

A task's process returns only its declaration (`episode.declare_episode`): the scene log its
reset made (`Sim.log`: bodies added, moved, recoloured), its goals, tolerances and max_steps.
`simulate_seed` rebuilds that scene in a fresh simulator of a process that never ran task code
(`jobs.simulate_job`, one fresh sandbox child per candidate), checks the goals against it, and
runs the physics, the oracle and the snapshots there. So a task that got past the Python layer
can lie only about what it declared (which is the task), never about what the physics did, what
the oracle reached or what the scene looked like after each action.
`run_episode` (demonstrations, pictures, policy evaluation: trusted library tasks) runs the same
`solve` in the task's own process.
"""

from __future__ import annotations

import math

import numpy as np

from ...catalogue.assets import Resolved
from ...catalogue.urdf import MAX_VERTICES, from_fields
from ...env.sim import SAFE_Z, Sim
from ...errors import TaskDefect
from .. import gensim_rules
from ..goals import Goal, quat_matrix
from ..surface import MAX_ZONE_SIDE
from . import judge
from .oracle import next_action, next_push

MAX_ACTIONS = 60  # the oracle's cap, whatever max_steps a task declares
MOVED = 0.02  # metres an object may drift sideways while the scene settles before it counts as unstable
TILT = 10.0  # degrees it may tip (a cylinder rolling onto its side is 90)
LANDING = 0.05  # metres it may drop flat onto its support (see _unsettled)
JITTER = 0.002  # metres: every place is off by this much (seeded direction), like a real arm, so a
# ball balanced exactly on a ball, which only an exact placement keeps up, falls as it would
MAX_LOG = 512  # scene changes: 96 bodies (world.MAX_OBJECTS), each moved, recoloured or linked a few times
MAX_SIDE = 1.0  # metres: no catalogue object is larger


class Stop(Exception):
    def __init__(self, stage: str, reason: str, step: int | None = None):
        super().__init__(reason)
        self.stage, self.reason, self.step = stage, reason, step


def _floats(values, n: int, low: float = -10.0, high: float = 10.0) -> tuple:
    out = tuple(float(v) for v in values)
    if len(out) != n or not all(math.isfinite(v) and low <= v <= high for v in out):
        raise ValueError(f"expected {n} numbers in [{low}, {high}]")
    return out


def rebuild(sim: Sim, log: list) -> None:
    """Replay a declared scene log into a fresh `sim` (after `sim.reset()`); ValueError if the log is
    not one a task's reset could have made."""
    if not isinstance(log, list) or len(log) > MAX_LOG:
        raise ValueError("the scene log is not a list of at most %d changes" % MAX_LOG)
    for entry in log:
        op = entry[0]
        if op == "add":
            _, fields, size, position, orientation, fixed, color = entry
            asset = from_fields(fields)
            if not isinstance(asset.shape, str):
                raise ValueError("an asset's shape is a name")
            if (asset.shape == "mesh") != bool(asset.mesh) or len(asset.mesh) % 3 or len(asset.mesh) > 3 * MAX_VERTICES:
                raise ValueError("a mesh is a flat list of vertices")
            if asset.mesh:  # a hull needs a body: at least a tetrahedron's worth, spread in x and y
                flat = _floats(asset.mesh, len(asset.mesh), -MAX_SIDE, MAX_SIDE)
                if len(flat) < 12 or min(max(flat[k::3]) - min(flat[k::3]) for k in range(2)) < 1e-3:
                    raise ValueError("a mesh without a body")
            resolved = Resolved(asset, _floats(size, 3, 0.0, MAX_SIDE))
            rgba = None if color is None else _floats(color, len(color), 0.0, 1.0)
            sim.add(resolved, _floats(position, 3), _floats(orientation, 4, -1.0, 1.0), bool(fixed), rgba)
        elif op == "move" and entry[1] in sim.bodies:
            sim.move(entry[1], _floats(entry[2], 3), _floats(entry[3], 4, -1.0, 1.0))
        elif op == "color" and entry[1] in sim.bodies:
            sim.recolor(entry[1], _floats(entry[2], 4, 0.0, 1.0))
        elif op == "link" and len(entry) == 4 and entry[1] in sim.bodies and entry[2] in sim.bodies \
                and entry[1] != entry[2] and not (sim.bodies[entry[1]].fixed or sim.bodies[entry[2]].fixed):
            sim.link(entry[1], entry[2], _floats(entry[3:4], 1, 1e-4, 0.2)[0])  # a rope's joint
        else:
            raise ValueError(f"not a scene change: {str(entry)[:80]}")


def apply_dynamics(sim: Sim, dynamics: dict) -> None:
    """GenSim's dialect with a checkout: each movable body weighs and grips as its asset's URDF there
    says (`catalogue.urdf.dynamics_from_urdf`; the caller's data, bounded here). ValueError on a value
    out of bounds or a mapping that is not one."""
    if not isinstance(dynamics, dict):
        raise ValueError("dynamics is not a mapping")
    for body, info in sim.bodies.items():
        d = dynamics.get(info.name)
        if not d or info.fixed:
            continue
        mass, lateral, rolling = _floats((d["mass"], d["lateral_friction"], d["rolling_friction"]), 3, 0.0, 100.0)
        sim.set_dynamics(body, max(mass, 1e-4), lateral, rolling)


def nominal_ids(values) -> list[int]:
    """A declaration's goal objects of GenSim's dummy size: a list of body ids; ValueError if not."""
    if not isinstance(values, list) or len(values) > MAX_LOG \
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise ValueError("nominal is not a list of body ids")
    return sorted(set(values))


def _unsettled(pose0, pose1, ball: bool = False) -> str:
    """How a body's settling changed the scene, or "" when it did not: moving sideways more than
    MOVED, tipping more than TILT, or dropping more than LANDING. Rising is not counted: a body
    lifted out of the table or a support it was sunk into (`Sim.penetrations`) ends where it was
    meant to be. Nor is a short flat landing: GenSim's reset waits until the scene is static before
    its first observation, and its files set bodies down at z = size_z / 2 for a size the body may
    not have (an unfilled template gets GenSim's 3-5 cm dummy size), so they drop a few cm onto the
    table, upright and in place, and the scene is the one the task meant; a body set down higher
    (the 20 cm midair block) or that lands elsewhere or tilted still fails. A ball has no up: turning
    in place is not tipping over (rolling away is moving sideways)."""
    (p0, q0), (p1, q1) = pose0, pose1
    side = math.hypot(p1[0] - p0[0], p1[1] - p0[1])
    up0, up1 = quat_matrix(q0)[:, 2], quat_matrix(q1)[:, 2]
    tilt = math.degrees(math.acos(max(-1.0, min(1.0, float(np.dot(up0, up1))))))
    drop = p0[2] - p1[2]
    if tilt > TILT and not ball:  # first: a body that tips over usually slides as well
        return f"tipped over by {tilt:.0f}°"
    if side > MOVED:
        return f"moved {side * 100:.0f} cm sideways"
    if drop > LANDING:
        return f"dropped {drop * 100:.0f} cm"
    return ""


def check_goals(goals: list[Goal], sim: Sim) -> None:
    """The goals' own invariants against the rebuilt scene (`judge.read_goals` made them in the
    task's process; a declaration is re-checked here, where it is used)."""
    if not goals:
        raise TaskDefect("goals", "no goals declared")
    for g, goal in enumerate(goals, 1):
        for o in goal.objs:
            if o not in sim.bodies or sim.bodies[o].fixed:
                raise TaskDefect("goals", f"goal {g}: {o} is not a movable object the task added")
        if goal.metric not in ("pose", "zone") or goal.matches.shape != (len(goal.objs), len(goal.targets)):
            raise TaskDefect("matches", f"goal {g}: matches do not fit its objects and targets")
        for syms in (goal.symmetries, goal.given if goal.given is not None else goal.symmetries):
            if len(syms) != len(goal.objs) or not all(math.isfinite(v) and v >= 0 for v in syms):
                raise TaskDefect("goals", f"goal {g}: a symmetry per object, each a number >= 0")
        if goal.places is not None and (goal.metric != "zone" or len(goal.places) > judge.MAX_TARGETS
                                        or goal.place_matches.shape != (len(goal.objs), len(goal.places))):
            raise TaskDefect("matches", f"goal {g}: its places do not fit its objects")
        if goal.metric == "zone" and not all(0 < v <= MAX_ZONE_SIDE for _, side in goal.targets for v in side):
            raise TaskDefect("goals", f"goal {g}: a zone side outside (0, {MAX_ZONE_SIDE}] m")


def motion(declared: dict, gensim: bool) -> tuple[str, float | None]:
    """The task's primitive from its declaration: ("pick", lift) or ("push", None); ValueError if not
    one (pushing is GenSim's, so only in its dialect, which the caller decides)."""
    primitive, lift = declared.get("primitive", "pick"), declared.get("lift")
    if primitive not in ("pick", "push") or (primitive == "push" and not gensim):
        raise ValueError("not a primitive")
    if lift is not None and not (isinstance(lift, float) and 0.005 <= lift <= SAFE_Z + 0.02):
        raise ValueError("not a lift height")
    return primitive, lift if primitive == "pick" else None


def solve(sim: Sim, seed: int, goals: list[Goal], pos_eps: float, rot_eps: float, max_steps: int, result,
          stricter, on_action=None, actor=None, gensim: bool = False, nominal=(), primitive: str = "pick",
          lift: float | None = None, hand=None, oracle: bool = True) -> None:
    """After reset: interpenetration, settling, trivial, then the oracle (or `actor`) until every
    goal is met or max_steps; snapshots into `result.scenes`. Raises Stop at the first failure;
    `stricter(stage, reason)` decides whether a stricter check stops (see episode). `gensim`: the
    oracle counts a goal done, and an object placed, by GenSim's own checks (`judge.complete`), as
    GenSim's oracle does; `nominal`: goal objects of GenSim's dummy size (`result.nominal`);
    `primitive`, `lift`: how each action moves things (`motion`): pick and place (carried `lift` above
    the table, None: high), or GenSim's spatula push; `hand`: what carries them (`env.arm.Arm`; None:
    the simulator's floating tip). A robot move that gives up (GenSim's movej timeout) ends the episode
    there, as it ends GenSim's, its action unjudged. `oracle=False`: stop once the checks before the
    oracle are done (`result.oracle_run` False), for a seed whose oracle the caller may not need
    (validate.decided)."""
    hand = hand or sim
    result.sizes = judge.sizes(sim, goals)
    result.nominal = sorted(b for b in nominal if str(b) in result.sizes)
    deep = sim.penetrations()
    if deep:
        a, b, d = deep[0]
        names = [sim.bodies[x].name if x in sim.bodies else "the table" for x in (a, b)]
        stricter("overlap", f"objects {a} ({names[0]}) and {b} ({names[1]}) interpenetrate by {d * 1000:.0f} mm at reset")
    before = {b: sim.pose(b) for b in sim.dynamic()}
    rested = sim.settle()
    for b, pose0 in before.items():
        how = _unsettled(pose0, sim.pose(b), sim.bodies[b].shape == "sphere")
        if how:
            stricter("stable", f"object {b} ({sim.bodies[b].name}) {how} while the scene settled (it fell, "
                               f"rolled or was pushed out of another object)")
    if not rested:
        stricter("stable", "the scene was still moving 2 s after reset")
    pending = list(goals)

    def advance():
        while pending and judge.complete(pending[0], sim, pos_eps, rot_eps, gensim):
            pending.pop(0)

    result.scenes.append(judge.snapshot(sim, goals))
    advance()
    if not pending:
        raise Stop("trivial", "every goal is already met at reset: the task asks for nothing")
    if not oracle:
        result.oracle_run = False
        return
    for k in range(max(1, min(max_steps, MAX_ACTIONS))):
        oracle = next_push if primitive == "push" else next_action
        action = actor(sim, pending[0].language) if actor else oracle(pending[0], sim, pos_eps, rot_eps, gensim)
        if isinstance(action, str):
            raise Stop("oracle", f"action {k + 1}, goal {len(goals) - len(pending) + 1}/{len(goals)}: {action}", k + 1)
        if on_action is not None:
            on_action(sim, action)
        angle = 2 * math.pi * ((seed * 7919 + k * 104729) % 360) / 360
        (x, y, z), orn = action.place
        place = ((x + JITTER * math.cos(angle), y + JITTER * math.sin(angle), z), orn)
        if primitive == "push":
            moved = hand.push(action.pick, place)
        elif hand is sim:  # the tip: GenSim's dialect lets go at contact, as GenSim's suction does
            moved = sim.pick_place(action.pick, place, lift, hold=not gensim)
        else:
            moved = hand.pick_place(action.pick, place, lift)
        if moved.gave_up:
            raise Stop("oracle", f"action {k + 1}, goal {len(goals) - len(pending) + 1}/{len(goals)}: {moved.message} "
                                 f"(a move that does not converge ends the episode, as GenSim's timeout does)", k + 1)
        result.actions += 1
        result.scenes.append(judge.snapshot(sim, goals))
        advance()
        result.goals_met = len(goals) - len(pending)
        result.met_after.append(result.goals_met)
        if not pending:
            return
        if gensim and sum(g.reward for g in goals[:result.goals_met]) > gensim_rules.SUCCESS:
            # GenSim's episode is done once its reward passes 0.99: goals whose rewards sum past 1 (a
            # strict `rewards` failure already) leave the rest undemonstrated, as GenSim's loop does
            return
    placed = judge.satisfied(pending[0], sim, pos_eps, rot_eps)
    raise Stop("oracle", f"after {result.actions} actions (max_steps) goal {len(goals) - len(pending) + 1}/"
                         f"{len(goals)} is not met: {placed} of {len(pending[0].objs)} objects in place", result.actions)


def simulate_seed(declared: dict, sim: Sim, result, robot: str = "tip", oracle: bool = True) -> None:
    """Rebuild one seed's declared scene in `sim` and solve it into `result` (a SeedResult carrying
    the declaration's goals); raises Stop. The dialect (`declared["gensim"]`) is the caller's, not the
    task's child's claim (run._collect): it alone decides how target heights are judged and whether
    the declared dummy-sized objects (`nominal`) count. `robot`: the caller's too ("arm": the Panda
    of `env.arm`, loaded after the scene so the declared body ids stay the scene's). `oracle=False`:
    up to the oracle only (`solve`)."""
    sim.reset()
    gensim = bool(declared.get("gensim"))
    heights = "level" if gensim else "exact"
    try:
        rebuild(sim, declared["log"])
        if gensim:
            apply_dynamics(sim, declared.get("dynamics") or {})
        specs = [dict(g, heights=heights) for g in declared["goal_specs"]]
        goals = [Goal.from_dict(g) for g in specs]
        pos_eps, rot_eps = (float(v) for v in declared["tolerances"])
        max_steps = int(declared["max_steps"])
        nominal = nominal_ids(declared.get("nominal", [])) if gensim else []
        primitive, lift = motion(declared, gensim)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise Stop("reset", f"the task's process declared a scene that is not one ({type(exc).__name__})") from None
    pos_eps = min(max(pos_eps, 1e-3), judge.MAX_POS_EPS) if math.isfinite(pos_eps) else 0.01
    rot_eps = min(max(rot_eps, 1e-3), judge.MAX_ROT_EPS) if math.isfinite(rot_eps) else math.radians(15)
    try:
        check_goals(goals, sim)
    except TaskDefect as exc:
        raise Stop(exc.stage, exc.message) from None
    result.goal_specs, result.tolerances = specs, [pos_eps, rot_eps]

    def stricter(stage: str, reason: str) -> None:
        if not gensim:
            raise Stop(stage, reason)
        if result.strict_stage is None:
            result.strict_stage, result.strict_reason = stage, reason

    hand = None
    if robot == "arm":
        from ...env.arm import Arm

        hand = Arm(sim)
    solve(sim, int(declared["seed"]), goals, pos_eps, rot_eps, max_steps, result, stricter, gensim=gensim,
          nominal=nominal, primitive=primitive, lift=lift, hand=hand, oracle=oracle)

