"""`--robot arm` end to end: a task file validated with the arm carrying the oracle's objects, in the
same sandboxed physics child as the tip (the task's code never sees the arm)."""

from pathlib import Path

import pytest

pytest.importorskip("pybullet")

from roboinstruct.tabletop.validate.run import validate_many  # noqa: E402
from roboinstruct.tabletop.validate.verdict import Candidate  # noqa: E402

STACK = Path(__file__).parents[1] / "fake_gensim" / "cliport" / "tasks" / "stack_three_blocks.py"


def test_a_task_passes_with_the_arm_and_the_arm_spends_more_physics_than_the_tip():
    cand = Candidate(str(STACK), STACK.read_text())
    tip, = validate_many([cand], seeds=2, workers=1)
    arm, = validate_many([cand], seeds=2, workers=1, robot="arm")
    assert tip.ok and arm.ok, arm.reason
    assert arm.passed == 2
    assert arm.sim_steps > tip.sim_steps  # the arm's joint-space moves and 1 mm descents, not the tip's glide
