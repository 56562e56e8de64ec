"""Goals as the validator reads them — its own code, not the task's — in the worker.

After `reset`, the task's GenSim-format goals are copied into `goals.Goal`s and checked
(`read_goals`: matches shape, reward shares, language, workspace). Whether a goal is met is
`validate.goals` (pure geometry, the caller's side), applied here to the live simulator to drive
the oracle and to the episode's snapshots on the caller's side to decide the verdict.
"""

from __future__ import annotations

import math

import numpy as np

from ...env.sim import BOUNDS, Sim
from ...errors import TaskDefect
from .. import gensim_rules
from ..goals import Goal, Scene, assignment
from ..surface import MAX_ZONE_SIDE
from ..goals import edges as goals_edges
from ..goals import satisfied as goals_satisfied

MAX_POS_EPS, MAX_ROT_EPS = 0.05, math.radians(30)  # a task cannot loosen its own check beyond these
REWARD_TOLERANCE = 1e-3
MAX_TARGETS = 256
MAX_LANGUAGE = 500


def _pose(value, what: str) -> tuple:
    try:
        if len(value) == 3 and not hasattr(value[0], "__len__"):
            value = (value, (0, 0, 0, 1))
        pos, orn = value
        pos, orn = tuple(float(v) for v in pos), tuple(float(v) for v in orn)
        assert len(pos) == 3 and len(orn) == 4 and all(math.isfinite(v) for v in pos + orn)
        return pos, orn
    except (TypeError, ValueError, AssertionError):
        raise TaskDefect("goals", f"{what} must be a pose ((x, y, z), (qx, qy, qz, qw)), got {value!r}"[:300]) from None


def read_goals(task, sim: Sim, lenient: list | None = None, heights: str = "exact") -> list[Goal]:
    """Copy and check the task's goals; raises TaskDefect naming the failing stage. `lenient` (GenSim's
    dialect): the checks GenSim does not make (rewards sum to 1, one language goal per goal, workspace)
    append their TaskDefect there instead of raising. `heights`: how targets' heights are judged
    (`goals.Goal.heights`)."""
    raw, lang = list(getattr(task, "goals", []) or []), list(getattr(task, "lang_goals", []) or [])
    if not raw:
        raise TaskDefect("goals", "reset() declared no goals (call self.add_goal(...))")
    goals, loose = [], []  # loose: the checks GenSim does not make, failed (see `defect` below)
    for g, entry in enumerate(raw, 1):
        try:
            objs, matches, targs, replace, rotations, metric, params, reward = entry
        except (TypeError, ValueError):
            raise TaskDefect("goals", f"goal {g} is not (objs, matches, targ_poses, replace, rotations, metric, "
                                      f"params, step_max_reward)") from None
        if metric not in ("pose", "zone"):
            raise TaskDefect("goals", f"goal {g}: metric must be 'pose' or 'zone', got {metric!r}")
        ids, syms, given = [], [], []
        for o in objs:
            oid, sym = (o[0], o[1][0] if isinstance(o[1], (tuple, list)) else o[1]) if isinstance(o, (tuple, list)) \
                else (o, None)
            if not isinstance(oid, (int, np.integer)) or int(oid) not in sim.bodies:
                raise TaskDefect("goals", f"goal {g}: {oid!r} is not an object id returned by env.add_object")
            if sim.bodies[int(oid)].fixed:
                raise TaskDefect("goals", f"goal {g}: object {oid} ({sim.bodies[int(oid)].name}) was added as "
                                          f"'fixed' and cannot be moved")
            ids.append(int(oid))
            try:
                own = float(sym) if sym is not None else None
            except (TypeError, ValueError):
                raise TaskDefect("goals", f"goal {g}: symmetry of object {oid} must be a number, got {sym!r}") from None
            sym = own if own is not None else sim.bodies[int(oid)].symmetry
            syms.append(sym if math.isfinite(sym) and sym >= 0 else 0.0)
            # GenSim's zip_obj_ids reads a missing symmetry as 0: its is_match then checks no rotation
            given.append(own if own is not None and math.isfinite(own) and own >= 0 else 0.0)
        if not ids:
            raise TaskDefect("goals", f"goal {g} has no objects")
        try:
            n_targets = len(targs if metric == "pose" else params)
        except TypeError:
            raise TaskDefect("goals", f"goal {g}: targ_poses/params must be lists") from None
        if n_targets > MAX_TARGETS:
            raise TaskDefect("goals", f"goal {g} has {n_targets} targets (at most {MAX_TARGETS})")
        if metric == "pose":
            targets = [_pose(t, f"goal {g} target {j + 1}") for j, t in enumerate(targs)]
        else:
            try:
                targets = [(_pose(z[0], f"goal {g} zone {j + 1}"), tuple(float(v) for v in z[1][:2]))
                           for j, z in enumerate(params)]
            except (TypeError, ValueError, IndexError):
                raise TaskDefect("goals", f"goal {g}: zone params must be [(zone_pose, zone_size)], got {params!r}"[:300]) from None
            for j, (_, side) in enumerate(targets):
                # a zone larger than the table counts any placement: the goal would ask for nothing
                if len(side) != 2 or not all(math.isfinite(v) and 0 < v <= MAX_ZONE_SIDE for v in side):
                    raise TaskDefect("goals", f"goal {g} zone {j + 1}: size {side} must be two sides in (0, "
                                              f"{MAX_ZONE_SIDE}] m (the workspace is 0.5 x 1 m)")
        try:
            m = np.asarray(matches, dtype=float) != 0
        except (TypeError, ValueError):
            raise TaskDefect("matches", f"goal {g}: matches must be a 0/1 matrix") from None
        places = place_matches = None
        if lenient is not None and m.ndim == 2 and m.shape[0] == len(ids) and m.shape != (len(ids), len(targets)):
            m, places, place_matches = _gensim_matches(g, m, targets, targs, metric, loose)
        if m.shape != (len(ids), len(targets)):
            raise TaskDefect("matches", f"goal {g}: matches has shape {m.shape}, expected ({len(ids)} objects, "
                                        f"{len(targets)} {'targets' if metric == 'pose' else 'zones'})")
        if not bool(replace) and places is None and len(assignment(m)) < len(ids):
            raise TaskDefect("matches", f"goal {g}: {len(ids)} objects cannot each get their own target among "
                                        f"{len(targets)} (replace=False)")
        for i, row in enumerate(m):
            if not row.any():
                raise TaskDefect("matches", f"goal {g}: object {ids[i]} matches no target")
        try:
            reward = float(reward)
        except (TypeError, ValueError):
            raise TaskDefect("rewards", f"goal {g}: step_max_reward must be a number, got {reward!r}") from None
        if not math.isfinite(reward):
            raise TaskDefect("rewards", f"goal {g}: step_max_reward is {reward}")
        goals.append(Goal(ids, syms, m, targets, bool(replace), bool(rotations), metric, reward, "", given,
                          heights, places, place_matches))

    def defect(stage, message):
        if lenient is None:
            raise TaskDefect(stage, message)
        lenient.append(TaskDefect(stage, message))

    for exc in loose:
        defect(exc.stage, exc.message)
    total = sum(goal.reward for goal in goals)
    if any(goal.reward <= 0 for goal in goals) or abs(total - 1.0) > REWARD_TOLERANCE:
        defect("rewards", f"goal rewards sum to {total:.3g}, not 1 "
                          f"({' + '.join(f'{goal.reward:.3g}' for goal in goals)})")
    if len(lang) != len(goals) or not all(isinstance(s, str) and s.strip() for s in lang):
        defect("language", f"{len(goals)} goals but {len(lang)} language goals "
                           f"(give one per goal: add_goal(..., language_goal=...))")
        texts = [s for s in lang if isinstance(s, str) and s.strip()] or [str(getattr(task, "task_completed_desc", ""))]
        lang = [texts[min(i, len(texts) - 1)] for i in range(len(goals))]  # GenSim shows the first pending one
    for g, (goal, text) in enumerate(zip(goals, lang), 1):
        if len(text) > MAX_LANGUAGE or not text.isprintable() or text != text.encode("utf-8", "replace").decode():
            raise TaskDefect("language", f"language goal {g} must be printable UTF-8 text under {MAX_LANGUAGE} "
                                         f"characters (it has {len(text)})")
        goal.language = text
    try:
        _check_workspace(goals, sim)
    except TaskDefect as exc:
        defect(exc.stage, exc.message)
    return goals


def _gensim_matches(g: int, m: np.ndarray, targets: list, targs, metric: str, loose: list):
    """GenSim's reading of a matches matrix that does not fit the goal's targets (its dialect only):
    (matches, places, place_matches). Its reward and oracle only index targets by the matches' columns,
    so a pose goal's targets past them are never used (left unmatched here); its zone reward ignores
    matches, and its oracle takes them over targ_poses, so a zone goal whose matches fit its targ_poses
    places objects there (`Goal.places`) and is scored over every zone. Anything else stays a defect."""
    fault = TaskDefect("matches", f"goal {g}: matches has shape {m.shape}, expected ({m.shape[0]} objects, "
                                  f"{len(targets)} {'targets' if metric == 'pose' else 'zones'})")
    if metric == "pose" and m.shape[1] < len(targets):
        loose.append(fault)
        return np.hstack([m, np.zeros((m.shape[0], len(targets) - m.shape[1]), dtype=bool)]), None, None
    if metric == "zone":
        try:
            places = [_pose(t, f"goal {g} target {j + 1}") for j, t in enumerate(targs)]
        except (TaskDefect, TypeError):
            return m, None, None
        if m.shape[1] == len(places) <= MAX_TARGETS and targets:
            loose.append(fault)
            return np.ones((m.shape[0], len(targets)), dtype=bool), places, m
    return m, None, None


def _check_workspace(goals: list[Goal], sim: Sim) -> None:
    eps = 1e-3
    for g, goal in enumerate(goals, 1):
        points = [t[0][0] if goal.metric == "zone" else t[0] for t in goal.targets]
        points += [sim.pose(o)[0] for o in goal.objs]
        for pos in points:
            inside = all(BOUNDS[k, 0] - eps <= pos[k] <= BOUNDS[k, 1] + eps for k in range(3))
            if not inside:
                raise TaskDefect("workspace", f"goal {g}: position ({pos[0]:.3f}, {pos[1]:.3f}, {pos[2]:.3f}) is "
                                              f"outside the workspace x∈[0.25,0.75] y∈[-0.5,0.5] z∈[0,0.3]")


class SimScene:
    """The live simulator as a `goals` scene (pose and size by object id)."""

    def __init__(self, sim: Sim):
        self.sim = sim

    def pose(self, obj: int) -> tuple:
        return self.sim.pose(obj)

    def size(self, obj: int) -> tuple:
        return self.sim.bodies[obj].size


def snapshot(sim: Sim, goals: list[Goal]) -> dict:
    """The goal objects' poses now, as the worker reports them (`goals.Scene.to_dict`)."""
    return Scene({o: sim.pose(o) for g in goals for o in g.objs}, {}).to_dict()


def sizes(sim: Sim, goals: list[Goal]) -> dict:
    return {str(o): list(sim.bodies[o].size) for g in goals for o in g.objs}


def edges(goal: Goal, sim: Sim, pos_eps: float, rot_eps: float, gensim: bool = False) -> np.ndarray:
    """objects x targets: where each object currently satisfies a target it matches (`goals.edges`;
    GenSim's dialect: a pose target by GenSim's is_match, as GenSim's oracle decides what is placed)."""
    if gensim and goal.metric == "pose":
        return gensim_rules.match_edges(goal, SimScene(sim), pos_eps, rot_eps)
    return goals_edges(goal, SimScene(sim), pos_eps, rot_eps)


def satisfied(goal: Goal, sim: Sim, pos_eps: float, rot_eps: float) -> int:
    """How many of the goal's objects are placed now (`goals.satisfied` on the live simulator)."""
    return goals_satisfied(goal, SimScene(sim), pos_eps, rot_eps)


def complete(goal: Goal, sim: Sim, pos_eps: float, rot_eps: float, gensim: bool = False) -> bool:
    """Whether the oracle is done with this goal: every object placed (this project's check), or in
    GenSim's dialect GenSim's own (its reward pops the goal): the oracle then demonstrates the task as
    GenSim's does, and the caller judges the same scenes by both rules."""
    if gensim:
        return gensim_rules.done(goal, SimScene(sim), pos_eps, rot_eps)
    return satisfied(goal, sim, pos_eps, rot_eps) == len(goal.objs)


def tolerances(task) -> tuple[float, float]:
    def num(name, default, cap):
        try:
            value = float(getattr(task, name, default))
        except (TypeError, ValueError):
            value = default
        return min(max(value, 1e-3), cap) if math.isfinite(value) else default

    return num("pos_eps", 0.01, MAX_POS_EPS), num("rot_eps", math.radians(15), MAX_ROT_EPS)
