"""`roboeval:PATH`: both layouts of official-style task files, imported unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roboinstruct.benchmark import evaluate_program, evaluate_programs, load_tasks
from roboinstruct.errors import UserError

DEV = Path(__file__).resolve().parents[2].parent / "shared/data/dev_programs.jsonl"
GOOD_SETTEMP = '''
def task_program():
    start_loc = get_current_location()
    go_to("Arjun's office")
    response = ask("Arjun", "Would you like it to be warmer or colder?", ["warmer", "colder"])
    go_to(start_loc)
    if response == "warmer":
        say("Set the thermostat to 75 degrees")
    else:
        say("Set the thermostat to 69 degrees")
'''


@pytest.mark.parametrize("layout", ["codebotler", "roboinstruct_checkout"])
def test_both_layouts_load_and_judge(layout, request):
    root = request.getfixturevalue(layout)
    suite = load_tasks(f"roboeval:{root}")
    assert set(suite) == {"CountSavory", "GrilledCheese", "LunchTime", "SetTemperature", "WaitAtDoor"}
    assert all(len(t.prompts) == 5 and t.roboeval for t in suite.values())
    assert len(suite["CountSavory"].states) == 4
    r = evaluate_program(GOOD_SETTEMP, suite["SetTemperature"])
    assert r["verdict"] == "Success", r
    assert r["states"][0]["trace"][0] == "GoTo /$@!/ arjun's office /$@!/ None"
    wrong = GOOD_SETTEMP.replace("75", "65")
    assert evaluate_program(wrong, suite["SetTemperature"])["verdict"] == "CompletionError"


def test_tasks_directory_itself_is_accepted(codebotler):
    suite = load_tasks(f"roboeval:{codebotler / 'benchmark' / 'tasks'}")
    assert "LunchTime" in suite


def test_expected_timeout_state(codebotler):
    suite = load_tasks(f"roboeval:{codebotler}")
    prog = 'def task_program():\n    go_to("door")\n    while not is_in_room("person"):\n        time.sleep(1)\n    say("hello")\n'
    r = evaluate_program(prog, suite["WaitAtDoor"])
    assert r["verdict"] == "Success" and len(r["states"][0]["trace"]) == 10


def test_test_function_crash_is_classified_like_roboeval(codebotler):
    # Terminal() on an empty trace raises IndexError inside the task's own test -> PythonError
    suite = load_tasks(f"roboeval:{codebotler}")
    task = suite["GrilledCheese"]
    original = task.states[0].check

    def crashing(elements):
        raise IndexError("list index out of range")

    task.states[0].check = crashing
    try:
        assert evaluate_program('def task_program():\n    say("hi")\n', task)["verdict"] == "PythonError"
    finally:
        task.states[0].check = original


def test_bad_paths_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="no such directory"):
        load_tasks(f"roboeval:{tmp_path / 'nope'}")
    with pytest.raises(UserError, match="expected a checkout"):
        load_tasks(f"roboeval:{tmp_path}")


def test_workers_load_the_checkout_too(roboinstruct_checkout):
    rows = [{"task": "SetTemperature", "prompt_index": 1, "program": GOOD_SETTEMP, "id": "a"},
            {"task": "LunchTime", "prompt_index": 0, "program": "def task_program():\n    go_to(\"mars\")\n"}]
    out = evaluate_programs(rows, f"roboeval:{roboinstruct_checkout}", workers=1)
    assert [r["verdict"] for r in out] == ["Success", "RobotExecutionError"]
    assert out[0]["id"] == "a" and len(out[0]["states"]) == 2


def test_dev_programs_error_kinds_match_roboeval(codebotler):
    """On look-alikes of the 4 official tasks, the error kinds we see per program equal the
    kinds of the runtime errors RoboEval's own evaluator recorded (719 real programs)."""
    if not DEV.exists():
        pytest.skip(f"{DEV} is absent")
    suite = load_tasks(f"roboeval:{codebotler}")
    rows = [json.loads(x) for x in DEV.read_text().splitlines() if x.strip()]
    mismatches, python_level = [], 0
    for r in rows:
        res = evaluate_program(r["program"], suite[r["task"]])
        got = {s["kind"] for s in res["states"]} & {"PythonError", "RobotExecutionError"}
        want = {"RobotExecutionError" if "Robot" in e else "PythonError" for e in r["roboeval_runtime_errors"]}
        if any(not e.startswith("Exception: Robot") for e in r["roboeval_runtime_errors"]):
            python_level += 1
            assert res["verdict"] == "PythonError", (r["roboeval_runtime_errors"], res)
        if got != want:
            mismatches.append((r["task"], r["roboeval_runtime_errors"], res["verdict"]))
    assert python_level >= 5
    assert not mismatches, mismatches[:5]
