"""GenSim's acceptance rule, judged beside this project's stricter one (`TaskVerdict.gensim_verdict`).

GenSim counts an episode a success once its reward passes 0.99, where the reward is each goal's
`step_max_reward` times the share of its objects in place (partial credit), the goals taken in
order; a task is accepted when enough seeds succeed. It does not check that rewards sum to 1, one
language goal per goal, workspace bounds, interpenetration or a settled scene at reset, nor replay
a seed: in GenSim's dialect the worker goes on past those checks, records the first one it would
have failed (`strict_stage`, `strict_reason`), and this module judges the same scene data by
GenSim's rule. A goal already met at reset still fails here (the task asks for nothing).
"""

from __future__ import annotations

import math

from ..errors import STAGES
from .goals import Goal, Scene, satisfied

SUCCESS = 0.99
GOAL_STAGES = (None, "trivial", "oracle")


def reward(record: dict, scene_index: int = -1) -> float:
    """GenSim's total reward after one of the episode's scenes (default: the last): goals are taken
    in order and a goal once met is banked (GenSim pops it), the next one earns partial credit."""
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
            placed = satisfied(goals[met], scene, pos_eps, rot_eps)
            if placed < len(goals[met].objs):
                partial = goals[met].reward * placed / len(goals[met].objs)
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
    final = reward(record)
    if final > SUCCESS:
        return True, None, ""
    return False, "oracle", f"the reward reached {final:.2f} (GenSim needs > {SUCCESS})"


def verdict(records: list[dict], tau: float) -> dict:
    """GenSim's verdict over the seeds: {status, stage, reason, passed, seeds}."""
    outcomes = [seed_outcome(r) for r in records]
    passed = sum(ok for ok, _, _ in outcomes)
    hard = [(stage, reason) for ok, stage, reason in outcomes if not ok and stage not in GOAL_STAGES]
    if hard:
        stage, reason = min(hard, key=lambda h: STAGES.index(h[0]) if h[0] in STAGES else len(STAGES))
        status = "unsupported" if stage == "unsupported" else "fail"
        return {"status": status, "stage": stage, "reason": reason, "passed": passed, "seeds": len(records)}
    trivial = [reason for ok, stage, reason in outcomes if stage == "trivial"]
    if trivial:
        return {"status": "fail", "stage": "trivial", "reason": trivial[0], "passed": passed, "seeds": len(records)}
    need = math.ceil(tau * len(records))
    if passed < need:
        reason = next(reason for ok, _, reason in outcomes if not ok)
        return {"status": "fail", "stage": "oracle", "reason": f"{passed}/{len(records)} seeds pass 0.99 (needs {need}); "
                                                               f"{reason}", "passed": passed, "seeds": len(records)}
    return {"status": "pass", "stage": None, "reason": "", "passed": passed, "seeds": len(records)}


def strict(result: dict) -> dict:
    """A seed's result under this project's rule: the first stricter check it failed, if any."""
    if result.get("strict_stage"):
        return {**result, "ok": False, "stage": result["strict_stage"], "reason": result["strict_reason"]}
    return result
