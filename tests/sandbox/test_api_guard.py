"""The API guard alone (sandbox.execution.api_callable): whatever goes wrong inside an API call
is the robot's error, which the program cannot catch -- in RoboSim and in the evaluator, in
this process (no workers, no OS layer: the guard is the only layer under test)."""

from pathlib import Path

import pytest

from roboinstruct.benchmark.evaluate import evaluate_program
from roboinstruct.benchmark.model import State, Task
from roboinstruct.benchmark.world import World
from roboinstruct.robosim.explore import explore
from roboinstruct.sandbox import Host, RobotError, api_callable, base_env, check_program, Policy, run_once

PAYLOAD = (Path(__file__).parent / "payloads" / "hidden_robot_error_recursion.py").read_text()


def _task(roboeval: bool) -> Task:
    return Task("T", ["p"], [State(World(["start"], robot="start"), lambda t: True, False)], roboeval=roboeval)


def test_robosim_reports_the_robot_error_at_any_depth():
    v = explore(PAYLOAD, paths=5)
    assert not v.valid and v.error_kind == "RobotExecutionError"


@pytest.mark.parametrize("roboeval", [False, True])
def test_evaluator_reports_the_robot_error_at_any_depth(roboeval):
    r = evaluate_program(PAYLOAD, _task(roboeval))
    assert r["verdict"] == "RobotExecutionError", r


def test_any_exception_inside_the_api_becomes_a_robot_error():
    host = Host(100)

    def broken():
        return {}["missing"]  # a KeyError inside the API's own code

    host.api = {"broken": api_callable(host, "broken", [], broken)}
    src = "def task_program():\n    try:\n        broken()\n    except Exception:\n        pass\n"
    failure = run_once(check_program(src, Policy("t", frozenset({"broken"}))), host, base_env(host))
    assert failure is not None and failure[0] == "RobotExecutionError" and "KeyError" in failure[1]


def test_a_wrong_call_is_still_the_programs_own_catchable_type_error():
    v = explore('def task_program():\n    try:\n        go_to()\n    except TypeError:\n        say("caught")\n', paths=3)
    assert v.valid


def test_roboeval_mode_robot_errors_stay_catchable_as_in_roboeval():
    src = 'def task_program():\n    try:\n        go_to("nowhere")\n    except Exception:\n        say("caught")\n'
    assert evaluate_program(src, _task(True))["verdict"] == "Success"
    assert evaluate_program(src, _task(False))["verdict"] == "RobotExecutionError"
    assert RobotError("x").kind == "RobotExecutionError"


NESTED = (Path(__file__).parent / "payloads" / "program_recursion_in_api_argument.py").read_text()


def test_an_argument_too_deep_to_print_is_the_programs_robot_error_not_a_crash():
    """A 3000-deep list passed to go_to(): printing it for the robot's type error (and for the
    counterexample's trace) used to raise RecursionError outside the guard -- a crash of the job."""
    from roboinstruct.robosim.verifier import verify

    for v in (explore(NESTED, paths=5), verify(NESTED, paths=5)):  # in this process; in a sandbox child
        assert not v.valid and v.error_kind == "RobotExecutionError", v.summary()
        assert "must be a str, got list [[[[" in v.message and v.counterexample["trace"]
    r = evaluate_program(NESTED, _task(False))
    assert r["verdict"] == "RobotExecutionError" and "must be a str, got list [[[[" in r["message"], r


def test_a_recursion_while_computing_an_argument_is_the_programs_python_error():
    deep = ('def task_program():\n    def f(n):\n        return f(n + 1)\n    go_to(f(0))\n')
    v = explore(deep, paths=5)
    assert not v.valid and v.error_kind == "PythonError" and "RecursionError" in v.message
