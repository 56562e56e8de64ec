"""RoboSim on 719 programs real LLMs wrote for RoboEval tasks (../shared/data)."""

import re

import pytest

from roboinstruct.verify import verify_many

PY_ERROR = re.compile(r"^(NameError|TypeError|UnboundLocalError|SyntaxError|AttributeError|IndexError|"
                      r"KeyError|ValueError|ZeroDivisionError|IndentationError)")


@pytest.fixture(scope="module")
def judged(dev_programs):
    verdicts = verify_many([r["program"] for r in dev_programs], workers=2)
    return list(zip(dev_programs, verdicts))


def _python_errors(row):
    errs = list(row["roboeval_runtime_errors"]) + [row["reference_robosim_error"] or ""]
    return [e for e in errs if PY_ERROR.match(e)]


def test_every_python_level_error_is_caught(judged):
    missed = [(r["program"], _python_errors(r)) for r, v in judged if _python_errors(r) and v.valid]
    assert not missed, missed[:3]
    caught = [v for r, v in judged if _python_errors(r)]
    assert len(caught) >= 30  # the data really exercises this
    assert all(v.error_kind == "PythonError" for v in caught)


def test_programs_that_ran_clean_in_roboeval_are_accepted(judged):
    clean = [(r, v) for r, v in judged if not r["roboeval_runtime_errors"] and r["reference_robosim_valid"]]
    rejected = [(r["program"], v.summary()) for r, v in clean if not v.valid]
    assert len(clean) > 300
    assert len(rejected) / len(clean) <= 0.005, rejected[:3]


def test_rejections_are_explainable(judged):
    for row, v in judged:
        if v.valid:
            continue
        assert v.message and v.error_kind
        n_lines = len(row["program"].splitlines())
        assert v.line is None or 1 <= v.line <= n_lines + 1
        if v.paths:  # failed while running: the counterexample replays the failing path
            cx = v.counterexample
            assert set(cx) >= {"choices", "trace", "world"}
            assert len(cx["choices"]) == len(cx["choice_indices"])


def test_robot_errors_found_match_the_reference(judged):
    # where the reference RoboSim found a robot error, so do we (it explores randomly; we also exhaust)
    ref_robot = [(r, v) for r, v in judged if (r["reference_robosim_error"] or "").startswith("Exception: Robot")]
    assert ref_robot
    assert all(not v.valid for _, v in ref_robot)


def test_same_seed_same_verdicts(dev_programs):
    sample = [r["program"] for r in dev_programs[::37]]
    a = verify_many(sample, workers=2, seed=3)
    b = verify_many(sample, workers=1, seed=3)
    assert a == b
