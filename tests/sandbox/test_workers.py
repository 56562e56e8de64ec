"""Sandbox workers: containment, restart, order, and parent safety."""

import os
import resource

from roboinstruct.domain import load_domain
from roboinstruct.robosim.verifier import judged, verification_task, verify, verify_many
from roboinstruct.sandbox import WorkerPool

OK = 'def task_program():\n    go_to("kitchen")\n    say("hi")\n'
MEMORY_BOMB = 'def task_program():\n    x = [0] * (10 ** 10)\n'
CPU_BOMB = 'def task_program():\n    x = 10 ** (10 ** 9)\n'


def test_verdicts_come_back_in_input_order_with_crashes_in_between():
    programs = [OK, MEMORY_BOMB, OK, CPU_BOMB, OK]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    verdicts = verify_many(programs, workers=2, paths=10)
    assert [v.valid for v in verdicts] == [True, False, True, False, True]
    assert verdicts[1].error_kind == "SandboxError" and "memory" in verdicts[1].message
    assert verdicts[3].error_kind == "SandboxError" and "CPU" in verdicts[3].message
    # the parent never ran the bombs: its own peak memory is untouched by a 80 GB list
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 200_000


def test_a_dead_candidate_costs_its_own_process_only():
    dom = load_domain()
    with WorkerPool(workers=1, cpu_seconds=2) as pool:
        tasks = [verification_task(p, dom, 0, 5, {}) for p in (CPU_BOMB, OK, OK)]
        zygote = None
        results = {}
        for i, r in pool.run(tasks):
            results[i] = judged(r, tasks[i], dom)
            zygote = zygote or pool.workers[0].proc.pid
            assert pool.workers[0].proc.pid == zygote  # the child died, the zygote forks the next one
        assert pool.restarts == 0
    assert not results[0].valid and results[1].valid and results[2].valid


def test_worker_killed_from_outside_costs_one_verdict():
    dom = load_domain()
    hang = 'def task_program():\n    x = 10 ** (10 ** 9)\n'
    with WorkerPool(workers=1, cpu_seconds=60) as pool:
        tasks = [verification_task(hang, dom, 0, 1, {}), verification_task(OK, dom, 0, 1, {})]
        it = pool.run(tasks)
        import threading
        import time

        def killer():
            time.sleep(1.0)
            os.kill(pool.workers[0].proc.pid, 9)
        threading.Thread(target=killer, daemon=True).start()
        results = {i: judged(r, tasks[i], dom) for i, r in it}
    assert results[0].error_kind == "SandboxError" and "killed" in results[0].message
    assert results[1].valid


def test_single_verify_is_isolated_and_matches_in_process():
    v1 = verify(OK)
    v2 = verify(OK, isolate=False)
    assert v1 == v2 and v1.valid


def test_programs_cannot_touch_the_filesystem(tmp_path):
    target = tmp_path / "pwned"
    sneaky = f'def task_program():\n    f = open("{target}", "w")\n    f.write("x")\n'
    v = verify(sneaky)
    assert not v.valid and v.error_kind == "SandboxError"
    assert not target.exists()


def test_the_parent_accepts_only_the_reply_to_the_job_it_asked_with_its_nonce():
    import json as _json

    from roboinstruct.sandbox.protocol import check_reply

    def raw(**kw):
        return _json.dumps({"id": 3, "nonce": "n" * 32, "result": {"ok": 1}, **kw}).encode()

    assert check_reply(raw(), 3, "n" * 32) == ({"ok": 1}, None)
    assert "nonce" in check_reply(raw(nonce="0" * 32), 3, "n" * 32)[1]
    assert "another job" in check_reply(raw(id=4), 3, "n" * 32)[1]
    assert "another job" in check_reply(raw(id=True), 1, "n" * 32)[1]
    assert "schema" in check_reply(raw(extra=1), 3, "n" * 32)[1]
    assert "object" in check_reply(raw(result=[1]), 3, "n" * 32)[1]
    assert check_reply(b"{not json", 3, "n" * 32)[1] == "reply is not JSON"
    assert check_reply(None, 3, "n" * 32)[1] == "no reply"
    # deeper than this process's recursion limit (a child's and its zygote's is 2000): a RecursionError,
    # not a ValueError, out of json.loads; refused like any reply that is not JSON
    deep = b'{"id": 3, "nonce": "' + b"n" * 32 + b'", "result": {"x": ' + b"[" * 5000 + b"]" * 5000 + b"}}"
    assert check_reply(deep, 3, "n" * 32) == (None, "reply is nested too deeply")


def test_a_reply_that_is_not_a_record_is_that_jobs_crash_not_a_parent_exception():
    from roboinstruct.robosim.verifier import check_result, record_in_process

    dom = load_domain()
    task = verification_task(OK, dom, 0, 10, {})
    good = record_in_process(OK, dom, paths=10)
    assert check_result(good) is None and judged(good, task, dom).valid
    verdict = verify(OK, isolate=False).to_dict()  # the old reply: a verdict the child computed itself
    refused = [verdict, {**good, "extra": 1}, {"reference": {"rejected": None}, "strict": None},
               {"reference": {**good["reference"], "paths": [{"calls": [], "end": None}]}, "strict": None},
               {"crashed": True, "error_kind": "SandboxError"}]
    for bad in refused:
        v = judged(bad, task, dom)
        assert not v.valid and v.error_kind == "SandboxError" and "refused" in v.message, bad
    assert check_result({"crashed": True, "error_kind": "SandboxError", "message": "x"}) is None


def test_an_evaluation_that_is_not_a_record_is_refused():
    from roboinstruct.benchmark.evaluate import check_result, evaluate_program, judged as evaluated, record_program
    from roboinstruct.benchmark.suite import load_tasks

    task = next(t for t in load_tasks("builtin").values() if t.reference)
    good = record_program(task.reference, task)
    assert check_result(good, task) is None and evaluated(good, task) == evaluate_program(task.reference, task)
    verdict = evaluate_program(task.reference, task)  # the old reply: states and a verdict the child judged itself
    for bad in (verdict, {**good, "states": good["states"][:-1]}, {**good, "early": 3},
                {**good, "states": [{"calls": "x", "end": None}, *good["states"][1:]]}):
        out = evaluated(bad, task)
        assert out["verdict"] == "PythonError" and "refused" in out["message"], bad

def test_the_next_job_runs_while_the_caller_handles_a_result():
    """One worker: when the caller gets a result, the next job is already with the zygote (its
    child runs while the caller judges); a run the caller left early costs that zygote, not a
    misread reply in the next run."""
    dom = load_domain()
    tasks = [verification_task(OK, dom, 0, 5, {}) for _ in range(3)]
    with WorkerPool(workers=1) as pool:
        sent = []
        for idx, result in pool.run(tasks):
            assert "crashed" not in result
            sent.append(pool.workers[0].task)
        assert sent == [1, 2, None]
        for idx, result in pool.run(tasks):
            break  # job 1 is in flight
        assert pool.workers[0].task == 1 and pool.restarts == 0
        assert [i for i, r in pool.run(tasks[:2]) if "crashed" not in r] == [0, 1]
        assert pool.restarts == 1


def test_a_domain_is_sent_to_a_zygote_once():
    """The domain declaration (workers.SHARED_KEYS) goes to each zygote once: the same object again,
    or an equal one, is named by reference; verdicts are those of the inline design."""
    dom = load_domain()
    tasks = [verification_task(p, dom, 0, 5, {}) for p in (OK, OK + "# 2\n", MEMORY_BOMB)]
    assert tasks[0]["domain"] is tasks[1]["domain"]  # verifier.declaration: one object per Domain
    equal = {**tasks[0], "domain": dict(tasks[0]["domain"])}
    with WorkerPool(workers=1) as pool:
        results = dict(pool.run([*tasks, equal]))
        assert pool.workers[0].shared_refs and len(pool.workers[0].shared_refs) == 1
    verdicts = [judged(results[i], t, dom) for i, t in enumerate([*tasks, equal])]
    assert [v.valid for v in verdicts] == [True, True, False, True]


def test_a_crash_report_a_child_writes_is_passed_on_as_the_pools_own(monkeypatch):
    """Its message text, bounded, or a word that it had none: never a nested list the caller formats."""
    from pathlib import Path

    from roboinstruct.sandbox import WorkerPool
    from roboinstruct.tabletop.validate.verdict import crashed

    here = Path(__file__).resolve().parent
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(here), os.environ.get("PYTHONPATH", "")]))
    nested = (here / "payloads" / "forge_reply_crash_message_nested.py").read_text()
    listed = 'RESULT.clear()\nRESULT.update({"crashed": 1, "message": [[1], {"a": 2}]})\n'
    long = 'RESULT.clear()\nRESULT.update({"crashed": True, "error_kind": "x", "message": "m" * 100000})\n'
    tasks = [{"job": "payload_job:run", "source": src, "name": "p"} for src in (nested, listed, long)]
    with WorkerPool(workers=1) as pool:
        out = dict(pool.run(tasks))
    # the nested one: refused as a reply where this stack is deep (protocol.check_reply), else here
    assert out[0]["message"] in ("sandbox worker sent a malformed crash report",
                                 "sandbox worker reply refused: reply is nested too deeply"), out[0]
    assert out[1] == {"crashed": True, "error_kind": "SandboxError",
                      "message": "sandbox worker sent a malformed crash report"}
    assert out[2]["error_kind"] == "SandboxError" and out[2]["message"] == "m" * 2000

    def deep(n):  # the tabletop caller formats a crash's message into each seed's reason, deep in its stack
        return deep(n - 1) if n else crashed(1, out[0]["message"])

    assert "sandbox worker" in deep(100)["reason"]


def test_a_pool_asks_for_spares_only_while_it_leaves_a_core_free(monkeypatch):
    """Spares (the next child forked ahead) cost a fork and a warm-up of CPU per job: worth it on a
    free core, a loss on the job's own (measured: one core, 6.4-8.2 ms/program with them, 5.5-5.8
    without). The environment's explicit choice wins."""
    from roboinstruct.sandbox.workers import spares_for

    monkeypatch.delenv("ROBOINSTRUCT_SANDBOX_SPARES", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert spares_for(1) == "always"
    assert spares_for(2) == "never" and spares_for(3) == "never"
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {1})
    assert spares_for(1) == "never"
    monkeypatch.setenv("ROBOINSTRUCT_SANDBOX_SPARES", "always")
    assert spares_for(1) == "always"
    monkeypatch.setenv("ROBOINSTRUCT_SANDBOX_SPARES", "never")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)))
    assert spares_for(1) == "never"
