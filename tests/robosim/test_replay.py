"""The parent's verdict from a child's record (robosim.replay): the same verdict as in one process for
honest records, the API's own verdict or a refusal for tampered ones."""

import copy
import json

import pytest

from roboinstruct.domain import load_domain
from roboinstruct.robosim.verifier import judged, record_in_process, verification_task, verify_in_process

PLACE_UNHELD = 'def task_program():\n    go_to("kitchen")\n    place("apple")\n'
SEARCH = ('def task_program():\n    start = get_current_location()\n    for room in get_all_rooms():\n'
          '        if "kitchen" in room:\n            go_to(room)\n            if is_in_room("apple"):\n'
          '                pick("apple")\n                go_to(start)\n                place("apple")\n'
          '    time.sleep(2)\n    say("done")\n')


def _both(program: str, dom, **options):
    task = verification_task(program, dom, 0, options.pop("paths", 50), options)
    opts = {k: v for k, v in task.items() if k not in ("job", "domain")}
    record = json.loads(json.dumps(record_in_process(**opts, domain=dom)))  # what crosses: JSON
    return verify_in_process(**opts, domain=dom), record, task


@pytest.mark.parametrize("strict", [False, True])
def test_the_parents_verdict_is_the_in_process_one(dev_programs, domain, strict):
    for row in dev_programs[::9]:
        ref, record, task = _both(row["program"], domain, strict=strict)
        assert judged(record, task, domain) == ref, row["program"]


def test_a_second_domain_too(drone):
    program = 'def task_program():\n    take_off()\n    fly_to("roof")\n    land()\n'
    ref, record, task = _both(program, drone)
    assert judged(record, task, drone) == ref


def test_a_record_that_hides_the_robot_error_gets_the_apis_own(domain):
    ref, record, task = _both(PLACE_UNHELD, domain)
    assert not ref.valid
    path = record["reference"]["paths"][-1]
    path["calls"][-1].append(None)  # place() "returned"
    path["end"] = None  # and the path "passed"
    v = judged(record, task, domain)
    assert not v.valid and v.error_kind == "RobotExecutionError" and v.message == ref.message


def test_records_that_cannot_be_honest_are_refused(domain):
    ref, record, task = _both(SEARCH, domain)
    assert ref.valid and ref.paths > 2
    calls = record["reference"]["paths"][0]["calls"]
    query = next(i for i, c in enumerate(calls) if c[0] == "is_in_room")
    tampered = {
        "an answer the simulator does not give": lambda r: r["reference"]["paths"][0]["calls"][query].__setitem__(
            3, not calls[query][3]),
        "fewer paths than the schedule": lambda r: r["reference"]["paths"].pop(),
        "more paths than the schedule": lambda r: r["reference"]["paths"].append(r["reference"]["paths"][-1]),
        "a function the domain lacks": lambda r: r["reference"]["paths"][0]["calls"].insert(0, ["launch", [], 1, None]),
        "a negative sleep": lambda r: r["reference"]["paths"][0]["calls"].insert(0, ["time.sleep", [-1], None]),
        "a path of another shape": lambda r: r["reference"]["paths"][0].pop("steps"),
        "an argument no encoder writes": lambda r: r["reference"]["paths"][0]["calls"][query][1].__setitem__(0, {"x": 1}),
    }
    for why, tamper in tampered.items():
        bad = copy.deepcopy(record)
        tamper(bad)
        v = judged(bad, task, domain)
        assert not v.valid and v.error_kind == "SandboxError" and "refused" in v.message, why


def test_a_record_may_always_reject_its_own_program(domain):
    _, record, task = _both(SEARCH, domain)
    record["reference"] = {"rejected": ["PythonError", "NameError: x", 3], "paths": []}
    v = judged(record, task, domain)
    assert not v.valid and (v.error_kind, v.message, v.line) == ("PythonError", "NameError: x", 3)


def test_the_strict_verdict_needs_its_own_record(domain):
    ref, record, task = _both(SEARCH, domain, strict=True)
    assert ref.valid and record["strict"] is not None
    record["strict"] = None
    v = judged(record, task, domain)
    assert not v.valid and v.error_kind == "SandboxError"


def test_a_path_longer_than_the_step_limit_is_refused(domain):
    _, record, task = _both(SEARCH, domain, step_limit=50)
    path = record["reference"]["paths"][0]
    path["calls"] = path["calls"] + [["time.sleep", [0], None]] * 60  # each sleep takes a step
    v = judged(record, task, domain)
    assert not v.valid and v.error_kind == "SandboxError" and "over the step limit" in v.message


def test_a_spares_warm_up_changes_no_record(dev_programs, domain):
    """A spare runs `verify_job.warm` before its job (sandbox/child.py): whatever that leaves behind
    in the process, a program's record is the one it gets without it."""
    from roboinstruct.robosim.verifier import verify_job

    rows = dev_programs[::23]
    tasks = [{**verification_task(r["program"], domain, 0, 30, {"strict": True}), "domain": domain} for r in rows]
    opts = [{k: v for k, v in t.items() if k not in ("job", "domain")} for t in tasks]
    before = [json.dumps(record_in_process(**o, domain=domain)) for o in opts]
    declared = verification_task("", domain, 0, 30, {})
    verify_job.warm(declared)
    assert [json.dumps(record_in_process(**o, domain=domain)) for o in opts] == before
