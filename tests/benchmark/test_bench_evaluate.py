"""evaluate_programs runs each distinct (task, program) once: a sampled score repeats programs."""

from __future__ import annotations

from roboinstruct.benchmark import evaluate, evaluate_programs, load_tasks
from roboinstruct.benchmark.evaluate import same_programs
from roboinstruct.sandbox import WorkerPool

GOOD = 'def task_program():\n    go_to("kitchen")\n    say("done")\n'
BAD = 'def task_program():\n    go_to("mars")\n'


def test_rows_are_grouped_by_task_and_text_in_first_seen_order():
    rows = [{"task": "A", "program": GOOD}, {"task": "A", "program": BAD}, {"task": "A", "program": GOOD},
            {"task": "B", "program": GOOD}, {"task": "A", "program": BAD}]
    assert same_programs(rows) == [[0, 2], [1, 4], [3]]


def test_a_repeated_program_runs_once_and_every_row_gets_its_verdict(monkeypatch):
    task = next(iter(load_tasks("builtin")))
    rows = [{"task": task, "prompt_index": i % 2, "program": p, "sample": i}
            for i, p in enumerate([GOOD, BAD, GOOD, GOOD, BAD])]
    sent: list[str] = []
    real_run = WorkerPool.run

    def counting(self, jobs):
        jobs = list(jobs)
        sent.extend(j["program"] for j in jobs)
        return real_run(self, jobs)

    monkeypatch.setattr(WorkerPool, "run", counting)
    seen: list[int] = []
    out = evaluate_programs(rows, "builtin", workers=1, on_result=lambda i, row: seen.append(i))
    assert sent == [GOOD, BAD]  # two children, not five
    assert sorted(seen) == [0, 1, 2, 3, 4]
    alone = {p: evaluate.evaluate_program(p, load_tasks("builtin")[task])["verdict"] for p in (GOOD, BAD)}
    assert [r["verdict"] for r in out] == [alone[r["program"]] for r in rows]
    assert alone[BAD] == "RobotExecutionError"
    assert [r["sample"] for r in out] == [0, 1, 2, 3, 4]  # each row keeps its own fields
