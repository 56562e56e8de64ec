"""Seeds whose oracle is not run once the verdict is decided (validate.decided): the verdict must be
the one every oracle gives, and the seeds not run must be reported as such."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from roboinstruct.tabletop.validate.conformance import reason_class
from roboinstruct.tabletop.validate.decided import first_oracles, more_oracles
from roboinstruct.tabletop.validate.goals import Goal, Scene
from roboinstruct.tabletop.validate.run import validate_many
from roboinstruct.tabletop.validate.verdict import Candidate, aggregate

PLACE = (Path(__file__).parents[1] / "fake_gensim" / "cliport" / "tasks" / "stack_three_blocks.py").read_text()

TARGET = ((0.5, 0.0, 0.02), (0.0, 0.0, 0.0, 1.0))
AWAY = ((0.5, 0.3, 0.02), (0.0, 0.0, 0.0, 1.0))
GOAL = Goal([1], [0.0], np.ones((1, 1), dtype=bool), [TARGET], False, False, "pose", 1.0, "put it there").to_dict()


def _record(seed: int, kind: str) -> dict:
    """One seed as a worker reports it: "success", "failure" (the oracle gave up), "skipped" (stopped
    before its oracle), "unstable" (a stricter check failed before the oracle, GenSim's dialect went
    on; "unstable-skipped": and its oracle was not run), "trivial" (met at reset)."""
    start = TARGET if kind == "trivial" else AWAY
    scenes = [start] + ([TARGET] if kind in ("success", "unstable") else [AWAY] if kind == "failure" else [])
    out = {"seed": seed, "ok": kind in ("success", "unstable"), "stage": None, "reason": "", "step": None,
           "actions": len(scenes) - 1, "sim_steps": 100, "state_hash": "s", "goals": 1,
           "goals_met": int(kind in ("success", "unstable")), "assets": [], "goal_specs": [GOAL],
           "tolerances": [0.01, 0.2], "sizes": {"1": [0.04, 0.04, 0.04]}, "nominal": [],
           "scenes": [Scene({1: pose}, {}).to_dict() for pose in scenes], "notes": [], "strict_stage": None,
           "strict_reason": "", "declared": "d", "oracle_run": kind not in ("skipped", "unstable-skipped")}
    if kind == "failure":
        out.update(stage="oracle", reason="after 1 actions goal 1/1 is not met: 0 of 1 objects in place", step=1)
    if kind == "trivial":
        out.update(stage="trivial", reason="every goal is already met at reset: the task asks for nothing")
    if kind.startswith("unstable"):
        out.update(strict_stage="stable", strict_reason="object 1 (block) moved 5 cm sideways while the scene settled")
    return out


def _seeds(*kinds: str) -> list[dict]:
    return [_record(100 + i, k) for i, k in enumerate(kinds)]


def _verdict(results: list[dict]):
    return aggregate("task.py", "Task", "h", results, "d", 0.5, "gensim")


def _same(a, b) -> None:
    """The same verdict under both rules: status, stage, counterexample seed and reason class."""
    assert (a.status, a.stage, reason_class(a.stage, a.reason)) == (b.status, b.stage, reason_class(b.stage, b.reason))
    assert (a.counterexample or {}).get("seed") == (b.counterexample or {}).get("seed")
    ga, gb = a.gensim_verdict, b.gensim_verdict
    assert (ga["status"], ga["stage"], reason_class(ga["stage"], ga["reason"])) == \
        (gb["status"], gb["stage"], reason_class(gb["stage"], gb["reason"]))


def test_the_first_wave_runs_just_enough_oracles_to_pass():
    assert first_oracles([3, 5, 8, 9, 11], 0.5, 8) == [3, 5, 8, 9]
    assert first_oracles([3], 0.5, 8) == [3]


def test_a_pass_decided_on_half_the_seeds_is_the_pass_every_oracle_gives():
    every = _verdict(_seeds(*["success"] * 4, "failure", "success", "failure", "failure"))
    cut = _seeds(*["success"] * 4, *["skipped"] * 4)
    decided = _verdict(cut)
    assert more_oracles(decided, cut, 0.5, 1) == []  # nothing the other seeds do can change it
    _same(every, decided)
    assert decided.status == "pass" and decided.passed == 4 and decided.not_run == 4
    assert decided.gensim_verdict["passed"] == 4 and decided.gensim_verdict["not_run"] == 4
    assert [e["reason"] for e in decided.episodes[4:]] == ["oracle not run: the other seeds had decided the verdict"] * 4
    assert "4 not run" in decided.line()


def test_a_failing_verdict_runs_until_the_seeds_left_could_not_lift_it():
    every = _verdict(_seeds(*["failure"] * 8))
    four = _seeds(*["failure"] * 4, *["skipped"] * 4)
    # 0 successes and 4 seeds left: all four succeeding would still pass, so one more must run
    assert more_oracles(_verdict(four), four, 0.5, 1) == [104]
    five = _seeds(*["failure"] * 5, *["skipped"] * 3)
    decided = _verdict(five)
    assert more_oracles(decided, five, 0.5, 2) == []
    _same(every, decided)
    assert decided.counterexample["seed"] == 100 and "3 not run" in decided.reason
    assert "3 not run" in decided.gensim_verdict["reason"]
    # a third wave runs whatever is left
    assert more_oracles(_verdict(four), four, 0.5, 2) == [104, 105, 106, 107]


def test_an_earlier_stage_on_a_seed_whose_oracle_did_not_run_decides_as_it_would_have():
    every = _verdict(_seeds(*["success"] * 4, "success", "success", "unstable", "failure"))
    cut = _seeds(*["success"] * 4, "skipped", "skipped", "unstable-skipped", "skipped")
    decided = _verdict(cut)
    assert more_oracles(decided, cut, 0.5, 1) == []
    _same(every, decided)
    assert decided.stage == "stable" and decided.counterexample["seed"] == 106
    assert decided.gensim_verdict["status"] == "pass"


def test_a_seed_met_at_reset_fails_both_rules_with_or_without_its_oracle():
    cut = _seeds(*["success"] * 4, "skipped", "trivial", "skipped", "skipped")
    decided = _verdict(cut)
    _same(_verdict(_seeds(*["success"] * 4, "success", "trivial", "failure", "success")), decided)
    assert decided.stage == "trivial" and decided.gensim_verdict["stage"] == "trivial"


@pytest.mark.parametrize("every", [True, False])
def test_validate_many_stops_oracles_only_when_asked(every):
    (v,) = validate_many([Candidate("stack", PLACE)], seeds=4, workers=2, every_oracle=every)
    assert v.status == "pass" and v.deterministic is True
    assert (v.passed, v.not_run) == ((4, 0) if every else (2, 2))
    skipped = [e for e in v.episodes if e.get("oracle_run") is False]
    assert len(skipped) == v.not_run and all(e["actions"] == 0 and not e["ok"] for e in skipped)
