"""One validation episode of a task on one seed: instantiate → reset → goal checks → settle →
oracle, stopping at the first failing stage with a one-line reason.

Runs trusted simulator code around untrusted task code; call it only inside a sandbox worker
(`jobs.py`) or from tests. Everything is counted in steps: task code in metered steps
(sandbox.Budget), physics in simulation steps, the oracle in actions.
"""

from __future__ import annotations

import math
import traceback
from dataclasses import asdict, dataclass, field

import numpy as np

from ....sandbox import Budget, SandboxViolation, StepBudgetExceeded
from . import judge
from ...errors import TaskDefect, Unsupported
from .oracle import next_action
from .runtime import load_class
from ...env.sim import Sim
from ...taskapi.standins import modules
from ...taskapi.task import PROGRESS, WORLDS
from ..goals import quat_matrix
from ..taskcode import FILENAME
from ...taskapi.world import World

CODE_STEPS = 200_000  # metered steps of task code per episode
MAX_ACTIONS = 60  # the oracle's cap, whatever max_steps a task declares
MOVED = 0.02  # metres an object may drift sideways while the scene settles before it counts as unstable
TILT = 10.0  # degrees it may tip (a cylinder rolling onto its side is 90)
LANDING = 0.05  # metres it may drop flat onto its support (see _unsettled)
JITTER = 0.002  # metres: every place is off by this much (seeded direction), like a real arm, so a
# ball balanced exactly on a ball, which only an exact placement keeps up, falls as it would


@dataclass
class SeedResult:
    seed: int
    ok: bool = False
    stage: str | None = None
    reason: str = ""
    step: int | None = None  # oracle action at which it failed
    actions: int = 0
    sim_steps: int = 0
    state_hash: str = ""
    goals: int = 0
    goals_met: int = 0
    assets: list = field(default_factory=list)
    goal_texts: list = field(default_factory=list)  # each goal's language goal (demonstrations)
    met_after: list = field(default_factory=list)  # goals met after each oracle action (demonstrations)
    # the scene data the caller judges the goals on (validate.goals.judge_episode): the goals, the
    # tolerances, the goal objects' sizes, and their poses after reset and after every action
    goal_specs: list = field(default_factory=list)
    tolerances: list = field(default_factory=list)
    sizes: dict = field(default_factory=dict)
    nominal: list = field(default_factory=list)  # goal objects whose height the task did not choose
    scenes: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # where GenSim's dialect filled in what the task left out
    # GenSim's dialect: the first of this project's stricter checks the episode went on past
    strict_stage: str | None = None
    strict_reason: str = ""

    def to_dict(self) -> dict:
        out = asdict(self)
        del out["goal_texts"], out["met_after"]  # not part of a verdict
        return out


class _Stop(Exception):
    def __init__(self, stage: str, reason: str, step: int | None = None):
        super().__init__(reason)
        self.stage, self.reason, self.step = stage, reason, step


def _describe(exc: BaseException) -> str:
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == FILENAME:
            line = lineno
    if isinstance(exc, StepBudgetExceeded):
        text = f"task code ran more than {CODE_STEPS} steps (an endless loop?)"
    elif isinstance(exc, MemoryError):
        text = "memory limit exceeded"
    elif isinstance(exc, RecursionError):
        text = "RecursionError: maximum recursion depth exceeded"
    elif isinstance(exc, (TaskDefect, Unsupported)):
        text = exc.message
    else:
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    text = text[:400]
    return f"line {line}: {text}" if line else text


def _call(stage: str, world: World, fn, *args):
    """Run task code; map what it raised (or swallowed) to a stage."""
    try:
        result = fn(*args)
    except (TaskDefect, Unsupported) as exc:
        raise _Stop(exc.stage, _describe(exc)) from None
    except (Exception, StepBudgetExceeded, SandboxViolation, RecursionError, MemoryError) as exc:
        raise _Stop(stage, _describe(exc)) from None
    if world.defects:  # raised into task code and swallowed there
        exc = world.defects[0]
        raise _Stop(exc.stage, exc.message + " (the task caught this error and went on)")
    return result


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


def _supported(task) -> None:
    for attr in ("ee", "primitive"):
        marker = getattr(task, attr, None)
        if getattr(marker, "supported", True) is False:
            raise _Stop("unsupported", f"{attr} = {marker!r}: pushing with a spatula is not supported")


def run_episode(code, name: str, seed: int, sim: Sim | None = None, on_action=None, actor=None,
                dialect: str = "roboinstruct", assets: dict | None = None) -> SeedResult:
    """Validate one episode; `on_action(sim, action)` (optional) sees each action (demos, GIFs);
    `actor(sim, language_goal)` -> oracle.Action | str replaces the oracle (policy evaluation)."""
    own = sim is None
    sim = sim or Sim()
    sim.reset()
    np.random.seed(seed % 2**32)
    world = World(sim, seed, dialect, assets)
    result = SeedResult(seed)
    WORLDS[id(world.env)] = world
    try:
        _episode(code, name, world, result, on_action, actor)
        result.ok = True
    except _Stop as stop:
        result.stage, result.reason, result.step = stop.stage, stop.reason, stop.step
    finally:
        WORLDS.pop(id(world.env), None)
        PROGRESS.clear()
        result.sim_steps = sim.steps
        result.state_hash = sim.state_hash()
        result.assets = sorted(set(world.loaded))
        result.notes = list(world.notes)
        if own:
            sim.close()
    return result


def _episode(code, name: str, world: World, result: SeedResult, on_action, actor) -> None:
    sim = world.sim
    budget = Budget(CODE_STEPS)
    cls = _call("instantiate", world, load_class, code, name, budget, modules(world.rng, world))
    task = _call("instantiate", world, cls)
    _supported(task)
    _call("reset", world, task.reset, world.env)
    _supported(task)
    lenient: list | None = [] if world.gensim else None
    try:
        goals = judge.read_goals(task, sim, lenient, "level" if world.gensim else "exact")
    except TaskDefect as exc:
        raise _Stop(exc.stage, exc.message) from None

    def stricter(stage: str, reason: str) -> None:
        """Fail a stricter check: stop, or in GenSim's dialect record it and go on as GenSim does."""
        if not world.gensim:
            raise _Stop(stage, reason)
        if result.strict_stage is None:
            result.strict_stage, result.strict_reason = stage, reason

    for exc in lenient or []:
        stricter(exc.stage, exc.message)
    result.goals = len(goals)
    result.goal_texts = [g.language for g in goals]
    pos_eps, rot_eps = judge.tolerances(task)
    result.goal_specs, result.tolerances = [g.to_dict() for g in goals], [pos_eps, rot_eps]
    result.sizes = judge.sizes(sim, goals)
    result.nominal = sorted(b for b in world.nominal if str(b) in result.sizes)
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
        while pending and judge.complete(pending[0], sim, pos_eps, rot_eps, world.gensim):
            pending.pop(0)

    result.scenes.append(judge.snapshot(sim, goals))
    advance()
    if not pending:
        raise _Stop("trivial", "every goal is already met at reset: the task asks for nothing")
    # GenSim's episode API on the task (reward(), done()), answered by the validator's judge
    PROGRESS[id(task)] = lambda: sum(g.reward for g in goals[:len(goals) - len(pending)])
    try:
        max_steps = int(getattr(task, "max_steps", 10))
    except (TypeError, ValueError):
        max_steps = 10
    for k in range(max(1, min(max_steps, MAX_ACTIONS))):
        action = actor(sim, pending[0].language) if actor else \
            next_action(pending[0], sim, pos_eps, rot_eps, world.gensim)
        if isinstance(action, str):
            raise _Stop("oracle", f"action {k + 1}, goal {len(goals) - len(pending) + 1}/{len(goals)}: {action}", k + 1)
        if on_action is not None:
            on_action(sim, action)
        angle = 2 * math.pi * ((world.seed * 7919 + k * 104729) % 360) / 360
        (x, y, z), orn = action.place
        sim.pick_place(action.pick, ((x + JITTER * math.cos(angle), y + JITTER * math.sin(angle), z), orn))
        result.actions += 1
        result.scenes.append(judge.snapshot(sim, goals))
        advance()
        result.goals_met = len(goals) - len(pending)
        result.met_after.append(result.goals_met)
        if not pending:
            return
    goal = pending[0]
    placed = judge.satisfied(goal, sim, pos_eps, rot_eps)
    raise _Stop("oracle", f"after {result.actions} actions (max_steps) goal {len(goals) - len(pending) + 1}/"
                          f"{len(goals)} is not met: {placed} of {len(goal.objs)} objects in place", result.actions)
