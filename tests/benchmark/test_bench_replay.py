"""The evaluator's parent-side judging (benchmark.replay + evaluate.judge_states): the same results as
in one process for honest records (our suite and RoboEval's mode), the API's own verdict or a refusal
for tampered ones."""

import copy
import json

from roboinstruct.benchmark import load_tasks
from roboinstruct.benchmark.evaluate import evaluate_program, judged, record_program


def _pairs(suite):
    for name, task in suite.items():
        for program in ([task.reference] if task.reference else []) + list(task.wrong.values()):
            yield program, task


def _record(program, task):
    return json.loads(json.dumps(record_program(program, task), default=str))


def test_the_parents_results_are_the_in_process_ones():
    suite = load_tasks("builtin")
    n = 0
    for program, task in _pairs(suite):
        assert judged(_record(program, task), task) == evaluate_program(program, task), (task.name, program)
        n += 1
    assert n >= 50


def test_roboeval_mode_too(codebotler):
    suite = load_tasks(f"roboeval:{codebotler}")
    programs = [  # a print in the trace, a caught robot error, a mutated room list, a timeout
        'def task_program():\n    print("hi")\n    for r in get_all_rooms():\n        go_to(r)\n    say("done")\n',
        'def task_program():\n    try:\n        pick("nothing")\n    except Exception:\n        say("no")\n',
        'def task_program():\n    rooms = get_all_rooms()\n    rooms.append("moon")\n    go_to("moon")\n',
        'def task_program():\n    while True:\n        is_in_room("x")\n',
    ]
    for task in suite.values():
        for program in programs:
            assert judged(_record(program, task), task) == evaluate_program(program, task), (task.name, program)


def test_a_record_that_hides_a_robot_error_gets_the_apis_own():
    task = load_tasks("builtin")["FetchApple"]
    program = task.wrong["picks_without_looking"]
    honest = evaluate_program(program, task)
    record = _record(program, task)
    for state in record["states"]:
        for call in state["calls"]:
            if len(call) == 2:
                call.append(None)  # pick() "returned"
        state["end"] = None
    out = judged(record, task)
    assert out["verdict"] == honest["verdict"] == "RobotExecutionError"


def test_records_that_cannot_be_honest_are_refused():
    task = load_tasks("builtin")["FetchApple"]
    record = _record(task.reference, task)
    state = record["states"][0]
    query = next(i for i, c in enumerate(state["calls"]) if c[0] == "is_in_room")
    tampered = [
        lambda r: r["states"][0]["calls"][query].__setitem__(2, not state["calls"][query][2]),
        lambda r: r["states"][0]["calls"].insert(0, ["print", ["x"]]),  # no prints in our suite's trace
        lambda r: r["states"][0]["calls"].insert(0, ["teleport", ["x"], None]),
        lambda r: r["states"][0].__setitem__("end", ["Invented", "x", None]),
        lambda r: r["states"].pop(),
    ]
    for tamper in tampered:
        bad = copy.deepcopy(record)
        tamper(bad)
        out = judged(bad, task)
        assert out["verdict"] == "PythonError" and "refused" in out["message"], out["message"]


def test_a_state_longer_than_its_step_limit_allows_is_refused():
    task = load_tasks("builtin")["FetchApple"]
    record = _record(task.reference, task)
    record["states"][0]["calls"] += [["say", ["x"], None]] * 15_001  # 3 events per step at most, 5000 steps
    out = judged(record, task)
    assert out["verdict"] == "PythonError" and "over what its step limit allows" in out["message"]


def test_a_spares_warm_up_changes_no_record():
    """A spare runs `evaluate_job.warm` before its job (sandbox/child.py): whatever that leaves behind
    in the process, a program's record is the one it gets without it."""
    from roboinstruct.benchmark.evaluate import evaluate_job

    suite = load_tasks("builtin")
    rows = list(_pairs(suite))[::7]
    before = [json.dumps(record_program(p, t), default=str) for p, t in rows]
    evaluate_job.warm({"tasks": "builtin", "task": rows[0][1].name})
    assert [json.dumps(record_program(p, t), default=str) for p, t in rows] == before
