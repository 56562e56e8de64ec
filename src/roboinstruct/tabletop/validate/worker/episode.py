"""One episode of a task on one seed: instantiate → reset → goal checks (the task's half,
`declare_episode`: what the task declared, as data), then settle → oracle (`physics`, trusted),
stopping at the first failing stage with a one-line reason.

Validation runs the two halves in two processes: `declare_episode` where the task code runs,
`physics.simulate_seed` in a fresh one that never ran it (jobs.validate_job / simulate_job).
`run_episode` runs both in one process, for trusted library tasks (demonstrations, pictures, policy
evaluation). Call them only inside a sandbox worker or from tests. Everything is counted in steps:
task code in metered steps (sandbox.Budget), physics in simulation steps, the oracle in actions.
"""

from __future__ import annotations

import hashlib
import json
import traceback
from dataclasses import dataclass, field, fields

import numpy as np

from ....sandbox import Budget, SandboxViolation, StepBudgetExceeded
from . import judge
from ...errors import TaskDefect, Unsupported
from .physics import Stop as _Stop
from .physics import apply_dynamics, solve
from .runtime import load_class
from ...env.sim import Sim
from ...taskapi.standins import Marker, modules
from ...taskapi.task import PROGRESS, WORLDS
from ..taskcode import FILENAME
from ...taskapi.world import World

CODE_STEPS = 200_000  # metered steps of task code per episode


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
    declared: str = ""  # hash of the declared scene and goals (determinism: the replay must match it)
    # False: the physics child stopped this seed before the oracle, at the caller's request (`physics.solve`,
    # oracle=False): its checks up to the oracle are in, its oracle outcome is not (validate.decided)
    oracle_run: bool = True

    def to_dict(self) -> dict:
        """The fields but the demonstrations' own, shallow: every value is already plain JSON data (a
        deep copy, dataclasses.asdict, cost 4% of a whole-checkout validation's CPU)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("goal_texts", "met_after")}


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


def _supported(task, gensim: bool) -> tuple[str, float | None]:
    """The task's primitive as (motion, lift) (`physics.motion`); a spatula or a push is GenSim's
    (its piles): supported in its dialect only."""
    for attr in ("ee", "primitive"):
        marker = getattr(task, attr, None)
        if getattr(marker, "supported", True) is False and not gensim:
            raise _Stop("unsupported", f"{attr} = {marker!r}: pushing with a spatula is not supported")
    primitive = getattr(task, "primitive", None)
    if isinstance(primitive, Marker):  # the stand-ins' own (read-only) markers; anything else picks
        return primitive.motion, primitive.lift
    return "pick", None


def _begin(sim: Sim | None, seed: int, dialect: str, assets: dict | None) -> tuple[Sim, World, SeedResult]:
    sim = sim or Sim()
    sim.reset()
    np.random.seed(seed % 2**32)
    world = World(sim, seed, dialect, assets)
    WORLDS[id(world.env)] = world
    return sim, world, SeedResult(seed)


def _end(world: World, result: SeedResult, own: bool) -> None:
    WORLDS.pop(id(world.env), None)
    PROGRESS.clear()
    result.sim_steps = world.sim.steps
    result.state_hash = world.sim.state_hash()
    result.assets = sorted(set(world.loaded))
    result.notes = list(world.notes)
    if own:
        world.sim.close()


def run_episode(code, name: str, seed: int, sim: Sim | None = None, on_action=None, actor=None,
                dialect: str = "roboinstruct", assets: dict | None = None, dynamics: dict | None = None) -> SeedResult:
    """Both halves in this process (trusted library tasks); `on_action(sim, action)` (optional) sees
    each action (demos, GIFs); `actor(sim, language_goal)` -> oracle.Action | str replaces the oracle
    (policy evaluation); `dynamics`: a checkout's masses and frictions (GenSim's dialect, as
    `physics.simulate_seed` applies them)."""
    own = sim is None
    sim, world, result = _begin(sim, seed, dialect, assets)
    try:
        task, goals, (pos_eps, rot_eps), max_steps, (primitive, lift) = _declare(code, name, world, result)
        if world.gensim and dynamics:
            apply_dynamics(sim, dynamics)
        # GenSim's episode API on the task (reward(), done()), answered by the validator's judge
        PROGRESS[id(task)] = lambda: sum(g.reward for g in goals[:result.goals_met])
        solve(sim, seed, goals, pos_eps, rot_eps, max_steps, result, _stricter(world, result), on_action, actor,
              world.gensim, _nominal(world, goals), primitive, lift)
        result.ok = True
    except _Stop as stop:
        result.stage, result.reason, result.step = stop.stage, stop.reason, stop.step
    finally:
        _end(world, result, own)
    return result


def declare_episode(code, name: str, seed: int, sim: Sim | None = None, dialect: str = "roboinstruct",
                    assets: dict | None = None) -> dict:
    """The task's half alone: its result so far, and (if it got that far) its declaration — the
    scene log, goals, tolerances, max_steps and the goal objects of GenSim's dummy size — for
    `physics.simulate_seed` in another process."""
    own = sim is None
    sim, world, result = _begin(sim, seed, dialect, assets)
    declared = None
    try:
        _, goals, tolerances, max_steps, (primitive, lift) = _declare(code, name, world, result)
        declared = {"log": sim.log, "goal_specs": result.goal_specs, "tolerances": list(tolerances),
                    "max_steps": max_steps, "gensim": world.gensim, "nominal": _nominal(world, goals),
                    "primitive": primitive, "lift": lift}
        result.declared = hashlib.sha256(json.dumps(declared, sort_keys=True).encode()).hexdigest()[:16]
    except _Stop as stop:
        result.stage, result.reason, result.step = stop.stage, stop.reason, stop.step
    finally:
        _end(world, result, own)
    out = result.to_dict()
    if declared is not None:
        out["declaration"] = declared
    return out


def _nominal(world: World, goals) -> list[int]:
    """The goal objects whose template got GenSim's dummy size, not one the task chose (`World.nominal`):
    declared, as the task's choice of asset is; the physics child keeps them only in GenSim's dialect."""
    objs = {o for g in goals for o in g.objs}
    return sorted(b for b in world.nominal if b in objs)


def _stricter(world: World, result: SeedResult):
    def stricter(stage: str, reason: str) -> None:
        """Fail a stricter check: stop, or in GenSim's dialect record it and go on as GenSim does."""
        if not world.gensim:
            raise _Stop(stage, reason)
        if result.strict_stage is None:
            result.strict_stage, result.strict_reason = stage, reason

    return stricter


def _declare(code, name: str, world: World, result: SeedResult):
    """Instantiate, reset and read the goals: (task, goals, tolerances, max_steps, (motion, lift));
    raises _Stop."""
    sim = world.sim
    budget = Budget(CODE_STEPS)
    cls = _call("instantiate", world, load_class, code, name, budget, modules(world.rng, world))
    task = _call("instantiate", world, cls)
    _supported(task, world.gensim)
    _call("reset", world, task.reset, world.env)
    motion = _supported(task, world.gensim)
    lenient: list | None = [] if world.gensim else None
    try:
        goals = judge.read_goals(task, sim, lenient, "level" if world.gensim else "exact")
    except TaskDefect as exc:
        raise _Stop(exc.stage, exc.message) from None
    stricter = _stricter(world, result)
    for exc in lenient or []:
        stricter(exc.stage, exc.message)
    result.goals = len(goals)
    result.goal_texts = [g.language for g in goals]
    tolerances = judge.tolerances(task)
    result.goal_specs, result.tolerances = [g.to_dict() for g in goals], list(tolerances)
    try:
        max_steps = int(getattr(task, "max_steps", 10))
    except (TypeError, ValueError, OverflowError):
        max_steps = 10
    return task, goals, tolerances, max(-1, min(max_steps, 10_000)), motion
