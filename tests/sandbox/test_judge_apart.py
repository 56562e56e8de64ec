"""The judge apart, alone: payloads that tamper with the judge's state inside the candidate's process.

Each `forge_*tamper*` payload runs as a sandbox job (code that got past the Python layer) and tampers
with what the previous design judged with in the child: RoboSim's simulator (preconditions, the
chooser) or the evaluator (its simulator, the task's checks). `old_design` shows the verdict that
tampered process computes, which the previous design's parent took as it was: forged. With the OS layer
off, so that only the process per candidate and the judge apart stand, the parent's replay
(robosim.replay, benchmark.replay) turns the same payloads into an invalid verdict or a crash.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roboinstruct.benchmark.evaluate import evaluate_program, judged as evaluated
from roboinstruct.benchmark.suite import load_tasks
from roboinstruct.domain import load_domain
from roboinstruct.robosim.explore import explore
from roboinstruct.robosim.verifier import judged
from roboinstruct.sandbox import WorkerPool, isolation

HERE = Path(__file__).resolve().parent
PAYLOADS = HERE / "payloads"
# invalid: it places what it never picked
UNHELD = 'def task_program():\n    go_to("kitchen")\n    place("apple")\n'
# invalid: on the path where the apple is absent it picks it anyway
ABSENT = 'def task_program():\n    go_to("kitchen")\n    if not is_in_room("apple"):\n        pick("apple")\n'


@pytest.fixture
def job_path(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))


def _run(tasks: list[dict]) -> list[dict]:
    isolation.configure(enabled=False)  # only the process per candidate and the judge apart stand
    try:
        with WorkerPool(workers=1) as pool:
            out = dict(pool.run(tasks))
    finally:
        isolation.configure(enabled=True)
    assert sorted(out) == list(range(len(tasks)))
    return [out[i] for i in range(len(tasks))]


def _task(payload: str, job: str, **extra) -> dict:
    return {"job": f"payload_job:{job}", "source": (PAYLOADS / payload).read_text(), "name": payload, **extra}


@pytest.mark.parametrize("payload, program", [("forge_verdict_tamper_simulator.py", UNHELD),
                                              ("forge_verdict_tamper_answers.py", ABSENT)])
def test_a_tampered_simulator_cannot_forge_valid(job_path, payload, program):
    dom = load_domain()
    honest = explore(program, paths=20)
    assert not honest.valid
    task = _task(payload, "run", program=program, extracted=True, paths=20)
    old, new = _run([_task(payload, "old_design", program=program, paths=20), task])
    assert old["verdict"]["valid"] is True, "the payload does not forge under the previous design"
    verdict = judged(new, task, dom)
    assert not verdict.valid
    if payload == "forge_verdict_tamper_simulator.py":  # the parent's replay finds the API's own error
        assert verdict.error_kind == honest.error_kind == "RobotExecutionError"
        assert verdict.message == honest.message and verdict.counterexample["world"] == honest.counterexample["world"]
    else:  # the recorded answers are not the simulator's: the record is refused
        assert verdict.error_kind == "SandboxError" and "returned True in the record, False in the replay" in verdict.message


def test_a_tampered_evaluator_cannot_forge_success(job_path):
    suite = load_tasks("builtin")
    name, program = "FetchApple", suite["FetchApple"].wrong["picks_without_looking"]
    honest = evaluate_program(program, suite[name])
    assert honest["verdict"] == "RobotExecutionError" and "there is no 'apple'" in honest["message"]
    task = _task("forge_evaluation_tamper_checks.py", "run", task=name, eval_program=program)
    old, new = _run([_task("forge_evaluation_tamper_checks.py", "old_design", task=name, eval_program=program), task])
    assert old["verdict"]["verdict"] == "Success", "the payload does not forge under the previous design"
    result = evaluated(new, suite[name])
    assert result["verdict"] == honest["verdict"]  # the parent's replay: the API's own robot error
    assert result["message"] == honest["message"].rsplit(" (line", 1)[0]  # (the line is the child's to say)


def test_the_generic_corpus_run_carries_a_program_for_every_tamper_payload():
    names = {p.name for p in PAYLOADS.glob("forge_*tamper*.py")}
    assert names == {"forge_verdict_tamper_simulator.py", "forge_verdict_tamper_answers.py",
                     "forge_evaluation_tamper_checks.py"}
