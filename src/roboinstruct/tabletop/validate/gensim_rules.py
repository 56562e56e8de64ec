"""GenSim's acceptance rule, judged beside this project's stricter one (`TaskVerdict.gensim_verdict`).

GenSim counts an episode a success once its reward passes 0.99, where the reward is each goal's
`step_max_reward` times the share of its objects in place (partial credit), the goals taken in
order; a task is accepted when enough seeds succeed. It does not check that rewards sum to 1, one
language goal per goal, workspace bounds, interpenetration or a settled scene at reset, nor replay
a seed: in GenSim's dialect the worker goes on past those checks, records the first one it would
have failed (`strict_stage`, `strict_reason`), and this module judges the same scene data by
GenSim's rule. A goal already met at reset still fails here (the task asks for nothing).

The goal checks are GenSim's own (cliport/tasks/task.py), not this project's stricter ones
(`validate.goals`): a pose goal scores each object that is within `pos_eps` of *any* target it
matches in x-y (height ignored; no distinct target per object in the reward, whatever `replace`
says), rotation about z checked only where the task gave a symmetry > 0 (whatever `rotations`
says); a zone goal scores the share of the objects' 2 cm point grids inside the zones; a goal is
complete when its share is within 0.01 of its reward. In GenSim's dialect the worker's oracle is
driven by these same checks (`worker.judge`), as GenSim's oracle is by its own.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import STAGES
from .goals import Goal, Scene, quat_matrix, quat_yaw

DONE = 0.01  # GenSim pops a goal once its step reward is within this of its step_max_reward

SUCCESS = 0.99
GOAL_STAGES = (None, "trivial", "oracle")
NOT_RUN = "oracle not run: the other seeds had decided the verdict"  # (verdict.NOT_RUN: verdict imports this module)


def is_match(scene, obj: int, symmetry: float, target: tuple, pos_eps: float, rot_eps: float) -> bool:
    """GenSim's Task.is_match: x-y distance below pos_eps and, when symmetry > 0, the z rotation
    modulo the symmetry below rot_eps; height is not looked at."""
    (x, y, _), orn = scene.pose(obj)
    (tx, ty, _), torn = target
    if math.hypot(x - tx, y - ty) >= pos_eps:
        return False
    if symmetry > 0:
        diff = abs(quat_yaw(orn) - quat_yaw(torn)) % symmetry
        if min(diff, symmetry - diff) >= rot_eps:
            return False
    return True


def match_edges(goal: Goal, scene, pos_eps: float, rot_eps: float) -> np.ndarray:
    """objects x targets of a pose goal: where GenSim's is_match holds for a target the object matches."""
    given = goal.given if goal.given is not None else goal.symmetries
    out = np.zeros(goal.matches.shape, dtype=bool)
    for i, obj in enumerate(goal.objs):
        for j in np.flatnonzero(goal.matches[i]):
            out[i, j] = is_match(scene, obj, given[i], goal.targets[j], pos_eps, rot_eps)
    return out


def box_points(size) -> np.ndarray:
    """GenSim's get_box_object_points: a 3 x N grid 2 cm apart from -size/2 (np.arange: the far
    edge left out, so the grid leans to the negative side as GenSim's does)."""
    axes = [np.arange(-float(d) / 2, float(d) / 2, 0.02) for d in size]
    xv, yv, zv = np.meshgrid(*axes, sparse=False, indexing="xy")
    return np.vstack((xv.reshape(1, -1), yv.reshape(1, -1), zv.reshape(1, -1)))


def zone_share(goal: Goal, scene) -> float:
    """GenSim's zone reward share: points inside each zone, summed over the zones, over (zones x
    points) — so a goal listing two zones can score at most half, as in GenSim."""
    inside = total = 0
    for (zpos, zorn), (zx, zy) in goal.targets:
        rot = quat_matrix(zorn)
        for obj in goal.objs:
            pts = box_points(scene.size(obj))
            pos, orn = scene.pose(obj)
            world = quat_matrix(orn) @ pts + np.array(pos).reshape(3, 1)
            local = rot.T @ (world - np.array(zpos).reshape(3, 1))
            ok = (local[0] > -zx / 2) & (local[0] < zx / 2) & (local[1] > -zy / 2) & (local[1] < zy / 2) & \
                (local[2] < 0.3)
            inside += int(ok.sum())
            total += pts.shape[1]
    return inside / total if total else 0.0


def share(goal: Goal, scene, pos_eps: float, rot_eps: float) -> float:
    """The fraction of the goal's step_max_reward GenSim's reward() gives in this scene."""
    if goal.metric == "zone":
        return zone_share(goal, scene)
    return float(match_edges(goal, scene, pos_eps, rot_eps).any(axis=1).mean())


def done(goal: Goal, scene, pos_eps: float, rot_eps: float) -> bool:
    """GenSim pops the goal: its step reward is within 0.01 of step_max_reward."""
    return abs(goal.reward * (1.0 - share(goal, scene, pos_eps, rot_eps))) < DONE


def reward(record: dict, scene_index: int = -1) -> float:
    """GenSim's total reward after one of the episode's scenes (default: the last): goals are taken
    in order and a goal once complete is banked (GenSim pops it), the next one earns partial credit."""
    goals = [Goal.from_dict(g) for g in record.get("goal_specs") or []]
    scenes = record.get("scenes") or []
    if not goals or not scenes:
        return 0.0
    pos_eps, rot_eps = record["tolerances"]
    met, partial = 0, 0.0
    for snapshot in scenes[:len(scenes) + scene_index + 1 if scene_index < 0 else scene_index + 1]:
        scene = Scene.from_dict(snapshot, record["sizes"])
        partial = 0.0
        while met < len(goals):
            if not done(goals[met], scene, pos_eps, rot_eps):
                partial = goals[met].reward * share(goals[met], scene, pos_eps, rot_eps)
                break
            met += 1
    return sum(g.reward for g in goals[:met]) + partial


def seed_outcome(record: dict) -> tuple[bool, str | None, str]:
    """(success, stage, reason) of one seed under GenSim's rule."""
    if record.get("stage") not in GOAL_STAGES:
        return False, record.get("stage"), record.get("reason", "")
    if not record.get("scenes"):
        return False, "oracle", "no scene data"
    if reward(record, 0) > SUCCESS:
        return False, "trivial", "the reward passes 0.99 at reset: the task asks for nothing"
    if record.get("oracle_run") is False:  # stopped before its oracle at the caller's request (validate.decided)
        return False, "oracle", NOT_RUN
    final = reward(record)
    if final > SUCCESS:
        return True, None, ""
    return False, "oracle", f"the reward reached {final:.2f} (GenSim needs > {SUCCESS})"


def verdict(records: list[dict], tau: float) -> dict:
    """GenSim's verdict over the seeds: {status, stage, reason, passed, seeds, not_run} (`not_run`: seeds
    whose oracle the caller did not ask for, its verdict decided without them: validate.decided)."""
    outcomes = [seed_outcome(r) for r in records]
    passed = sum(ok for ok, _, _ in outcomes)
    skipped = sum(reason == NOT_RUN for ok, _, reason in outcomes)
    return {**_verdict(outcomes, passed, len(records), tau, skipped), "not_run": skipped}


def _verdict(outcomes: list, passed: int, k: int, tau: float, skipped: int) -> dict:
    hard = [(stage, reason) for ok, stage, reason in outcomes if not ok and stage not in GOAL_STAGES]
    if hard:
        stage, reason = min(hard, key=lambda h: STAGES.index(h[0]) if h[0] in STAGES else len(STAGES))
        status = "unsupported" if stage == "unsupported" else "fail"
        return {"status": status, "stage": stage, "reason": reason, "passed": passed, "seeds": k}
    trivial = [reason for ok, stage, reason in outcomes if stage == "trivial"]
    if trivial:
        return {"status": "fail", "stage": "trivial", "reason": trivial[0], "passed": passed, "seeds": k}
    need = math.ceil(tau * k)
    if passed < need:
        reason = next((reason for ok, _, reason in outcomes if not ok and reason != NOT_RUN), NOT_RUN)
        unrun = f", {skipped} not run: they could not reach it" if skipped else ""
        return {"status": "fail", "stage": "oracle", "reason": f"{passed}/{k} seeds pass 0.99 (needs {need}{unrun}); "
                                                               f"{reason}", "passed": passed, "seeds": k}
    return {"status": "pass", "stage": None, "reason": "", "passed": passed, "seeds": k}


def strict(result: dict) -> dict:
    """A seed's result under this project's rule: the first stricter check it failed, if any."""
    if result.get("strict_stage"):
        return {**result, "ok": False, "stage": result["strict_stage"], "reason": result["strict_reason"]}
    return result
