"""Sandbox workers: containment, restart, order, and parent safety."""

import os
import resource

from roboinstruct.domain import load_domain
from roboinstruct.robosim.verifier import as_verdict, verification_task, verify, verify_many
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
            results[i] = as_verdict(r)
            zygote = zygote or pool.workers[0].proc.pid
            assert pool.workers[0].proc.pid == zygote  # the child died, the zygote forks the next one
        assert pool.restarts == 0
    assert not results[0].valid and results[1].valid and results[2].valid


def test_worker_killed_from_outside_costs_one_verdict():
    dom = load_domain()
    hang = 'def task_program():\n    x = 10 ** (10 ** 9)\n'
    with WorkerPool(workers=1, cpu_seconds=60) as pool:
        it = pool.run([verification_task(hang, dom, 0, 1, {}), verification_task(OK, dom, 0, 1, {})])
        import threading
        import time

        def killer():
            time.sleep(1.0)
            os.kill(pool.workers[0].proc.pid, 9)
        threading.Thread(target=killer, daemon=True).start()
        results = {i: as_verdict(r) for i, r in it}
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
