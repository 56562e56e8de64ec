"""experiments/gensim_mutants.py: a real GenSim file (the shared checkout, GENSIM_CHECKOUT) mutated at
run time — an impossible goal, a target out of reach, a goal met at reset — is rejected by both
verdicts, while the unmutated file passes both."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from roboinstruct.tabletop.tasks.sources import collect
from roboinstruct.tabletop.validate.run import validate_many
from roboinstruct.tabletop.validate.taskcode import check_task
from roboinstruct.tabletop.validate.verdict import Candidate

ROOT = Path(__file__).resolve().parents[2] / "experiments"
CHECKOUT = Path(os.environ.get("GENSIM_CHECKOUT", Path(__file__).resolve().parents[3] / "shared" / "gensim"))
BASE = "cliport/generated_tasks/align_cylinder_in_zone.py"


def _mutants():
    spec = importlib.util.spec_from_file_location("gensim_mutants", ROOT / "gensim_mutants.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


M = _mutants()
SOURCE = """import numpy as np
import pybullet as p
from cliport.tasks.task import Task


class T(Task):
    def reset(self, env):
        super().reset(env)
        self.add_goal(objs=[1], matches=np.ones((1, 1)), targ_poses=[((0.5, 0, 0), (0, 0, 0, 1))], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1)
"""


def test_a_mutant_is_the_file_plus_one_override_that_passes_the_static_check():
    assert M.mutable(SOURCE) and not M.mutable(SOURCE.replace("self.add_goal(", "self.goals.append("))
    for kind in M.KINDS:
        mutant = M.mutate(SOURCE, kind)
        assert mutant.startswith(SOURCE.rstrip("\n")) and mutant.count("def add_goal(") == 1
        assert "super().add_goal(*args, **kwargs)" in mutant
        check_task(mutant)  # the sandbox's static allow-list accepts the override
    with pytest.raises(ValueError):
        M.mutate(SOURCE, "nonsense")


@pytest.fixture(scope="module")
def verdicts():
    (base,) = [c for c in collect([], str(CHECKOUT)) if c.file == BASE]
    cands = [base] + [Candidate(f"mutant/{k}.py", M.mutate(base.source, k), "gensim", base.assets) for k in M.KINDS]
    return {v.file: v for v in validate_many(cands, seeds=4, workers=1)}


def test_the_real_file_passes_both_verdicts(verdicts):
    v = verdicts[BASE]
    assert v.ok and v.gensim_verdict["status"] == "pass"


@pytest.mark.parametrize("kind, strict_stage, rule_stage", [("impossible", "matches", "matches"),
                                                            ("out_of_reach", "workspace", "oracle"),
                                                            ("met_at_reset", "trivial", "trivial")])
def test_each_mutation_is_rejected_by_both_verdicts(verdicts, kind, strict_stage, rule_stage):
    v = verdicts[f"mutant/{kind}.py"]
    assert v.status == "fail" and v.stage == strict_stage, v.line()
    assert v.gensim_verdict["status"] == "fail" and v.gensim_verdict["stage"] == rule_stage, v.gensim_verdict
