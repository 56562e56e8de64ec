"""Orphans of a candidate child: grandchildren that outlive it are reparented to the zygote (its PID
namespace's PID 1) and must be reaped there, or their zombies count against the task limit of
`nobody` for every later candidate. With seccomp no child can fork (nothing to reap); without it
(a machine where the filter cannot be loaded: isolation warns and runs on), the zygote's sweep between
jobs (worker._sweep) reaps them. Payload: payloads/cross_candidate_orphan_zombies.py."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from roboinstruct.sandbox import WorkerPool, isolation

HERE = Path(__file__).resolve().parent


@pytest.fixture
def job_path(monkeypatch):
    """Zygotes import confinement_job from this folder."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))


@pytest.fixture
def no_seccomp(monkeypatch):
    """The OS isolation without its seccomp filter (the layer under test removed)."""
    st = isolation.status()
    monkeypatch.setattr(isolation._Config, "probed", isolation.Status(st.bwrap, None, st.drop_uid,
                                                                       [*st.missing, "seccomp removed by the test"]))
    yield
    isolation._Config.probed = None


def _zombies_of_zygote(pool: WorkerPool) -> list[int]:
    """Zombie processes whose parent is the pool's zygote (seen from the host's /proc)."""
    outer = pool.workers[0].proc.pid  # bubblewrap; the zygote is its descendant
    parents: dict[int, int] = {}
    states: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = {k: v.strip() for k, _, v in (ln.partition(":") for ln in
                                                      open(f"/proc/{entry}/status").read().splitlines())}
            except OSError:
                continue
            parents[int(entry)], states[int(entry)] = int(fields["PPid"]), fields["State"][:1]
    family, grew = {outer}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in family} - family
        family |= more
        grew = bool(more)
    return sorted(pid for pid, st in states.items() if st == "Z" and pid in family)


def _after_orphans(orphans: int) -> tuple[str, list[int]]:
    """One candidate leaving `orphans` grandchildren, honest candidates until they have exited, and the
    zombies the zygote holds then."""
    with WorkerPool(workers=1, watchdog_seconds=60) as pool:
        ((_, left),) = list(pool.run([{"job": "confinement_job:leave_orphans", "orphans": orphans, "linger": 0.3}]))
        time.sleep(1.0)  # the grandchildren have exited by now
        for _ in range(3):  # a few jobs: the zygote's loop comes round between each
            list(pool.run([{"job": "confinement_job:probe", "host_file": "/nonexistent"}]))
        time.sleep(0.3)
        return left["message"], _zombies_of_zygote(pool)


def test_a_confined_child_cannot_fork_at_all(job_path):
    message, zombies = _after_orphans(8)
    assert message.startswith("orphans forked: 0; refused:"), message
    assert len(zombies) <= 1, zombies  # the last candidate's child may still be exiting


def test_without_seccomp_the_zygote_reaps_the_orphans(job_path, no_seccomp):
    message, zombies = _after_orphans(16)
    assert message == "orphans forked: 16; refused: none", message  # the class lands: they were forked
    assert len(zombies) <= 1, f"{len(zombies)} zombies left for later candidates"
