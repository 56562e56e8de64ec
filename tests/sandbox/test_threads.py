"""Threads in candidate children: none (isolation.CANDIDATE_THREADS), through the real pool.

Every candidate child is `nobody`, in every pool slot, and the kernel's task limit counts the tasks
of a uid: one child's threads up to it left each sibling running beside it (another slot's candidate)
unable to start one. payloads/cross_candidate_thread_hoard.py hoards them; with the clone rule it
starts none, and with the rule removed it is shown starving a sibling in another zygote. Honest
numbers lose nothing: the zygote's BLAS is single-threaded, a BLAS-sized product is right.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roboinstruct.sandbox import WorkerPool, isolation, workers

HERE = Path(__file__).resolve().parent
EXPECTED = 5324775.0  # trace of a @ a.T for numerics' matrix, computed outside any sandbox


@pytest.fixture
def job_path(monkeypatch):
    """Zygotes import confinement_job from this folder."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))


@pytest.fixture
def threads_allowed(monkeypatch):
    """The seccomp filter as it was: clone allowed with CLONE_THREAD (the layer under test removed)."""
    monkeypatch.setattr(isolation, "CANDIDATE_THREADS", True)
    monkeypatch.setattr(isolation._Config, "probed", None)
    yield
    isolation._Config.probed = None  # the next test probes the full filter again


def run(tasks: list[dict], pool_size: int = 1) -> list[dict]:
    out = {}
    with WorkerPool(workers=pool_size, watchdog_seconds=60) as pool:
        out.update(pool.run(tasks))
    assert sorted(out) == list(range(len(tasks))), "a batch lost verdicts"
    return [out[i] for i in range(len(tasks))]


def test_a_child_starts_no_thread(job_path):
    (got,) = run([{"job": "confinement_job:hoard_threads", "threads": 50}])
    assert got["message"].startswith("threads started: 0; refused: can't start new thread"), got


def test_honest_numbers_need_no_thread(job_path):
    """The zygote's environment makes its BLAS single-threaded before numpy loads: a product big
    enough for a threaded BLAS to start its pool is right, and the child still has one thread."""
    got = run([{"job": "confinement_job:numerics"}] * 2)
    for g in got:
        assert g["checksum"] == EXPECTED and g["threads"] == 1, g
        assert g["env"] == {k: workers.THREAD_POOLS_OFF[k] for k in g["env"]}, g


def test_with_threads_allowed_one_child_starves_its_siblings(job_path, threads_allowed):
    """The class, landing: two zygotes; one child hoards threads up to the task limit of `nobody` and
    holds them, and the candidate beside it in the other slot is refused one meanwhile; alone,
    the same sibling can."""
    alone = run([{"job": "confinement_job:start_threads_meanwhile", "seconds": 0.5}])
    assert alone[0]["tried"] > 0 and alone[0]["refused"] == 0, alone
    hoard, sibling = run([{"job": "confinement_job:hoard_threads", "threads": 100000, "hold": 2.0},
                          {"job": "confinement_job:start_threads_meanwhile", "seconds": 50.0}], pool_size=2)
    started = int(hoard["message"].split(";")[0].split(": ")[1])
    assert started > 1000 and "can't start new thread" in hoard["message"], hoard
    assert sibling["refused"] == 1, (hoard, sibling)
