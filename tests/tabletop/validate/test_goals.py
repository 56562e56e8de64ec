"""Goals are judged on the caller's side, from the scene data a worker sends: a worker that claims
success without the scenes to show it does not get a passing seed."""

from __future__ import annotations

import math
import random

import numpy as np
import pybullet as p

from roboinstruct.tabletop.tasks.sources import collect
from roboinstruct.tabletop.validate.goals import judge_episode, quat_matrix, quat_yaw
from roboinstruct.tabletop.validate.taskcode import check_task
from roboinstruct.tabletop.validate.verdict import aggregate, judged
from roboinstruct.tabletop.validate.worker.episode import run_episode


def test_the_pure_geometry_is_pybullets_to_the_bit():
    rng = random.Random(0)
    for _ in range(2000):
        v = [rng.gauss(0, 1) for _ in range(4)]
        q = tuple(a / math.sqrt(sum(b * b for b in v)) for a in v)
        assert quat_yaw(q) == p.getEulerFromQuaternion(q)[2]
        assert np.array_equal(quat_matrix(q), np.array(p.getMatrixFromQuaternion(q)).reshape(3, 3))


def _episode() -> dict:
    (c,) = collect(["place-red-in-green"])
    code, name = check_task(c.source)
    return run_episode(code, name, 7).to_dict()


def test_the_caller_agrees_with_an_honest_worker_and_drops_the_scene_data():
    r = _episode()
    assert r["ok"] and len(r["scenes"]) == r["actions"] + 1
    met, n = judge_episode(r)
    assert met[0] < n and met[-1] == n
    out = judged(r)
    assert out["ok"] and out["stage"] is None and "scenes" not in out


def test_a_forged_success_fails_at_the_oracle():
    r = _episode()
    forged = {**r, "scenes": r["scenes"][:1]}  # the scene after reset only: nothing was placed
    out = judged(forged)
    assert (out["ok"], out["stage"]) == (False, "oracle") and "caller" in out["reason"]
    blind = {k: v for k, v in r.items() if k != "scenes"}
    assert judged(blind)["ok"] is False
    v = aggregate("f.py", "T", "h", [forged] * 4, None, 0.5)
    assert v.status == "fail" and v.stage == "oracle" and v.passed == 0
