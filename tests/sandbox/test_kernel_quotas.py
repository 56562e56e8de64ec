"""Kernel objects counted per uid, through the real pool: a candidate child gets none of them.

inotify instances are counted per uid (fs.inotify.max_user_instances, 128 by default), not per
process; every candidate child is `nobody` as root (in every pool slot) and the user as a user (with
the user's own programs). payloads/cross_candidate_inotify_hoard.py creates them until refused and
holds them: with seccomp's rule it gets none, and with the rule removed it is shown taking the uid's
whole quota and leaving a sibling in another pool slot without one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roboinstruct.sandbox import WorkerPool, isolation

HERE = Path(__file__).resolve().parent
HOARD = HERE / "payloads" / "cross_candidate_inotify_hoard.py"


@pytest.fixture
def job_path(monkeypatch):
    """Zygotes import payload_job from this folder."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))


@pytest.fixture
def inotify_allowed(monkeypatch):
    """The seccomp filter without the inotify rule (the layer under test removed)."""
    monkeypatch.setattr(isolation, "DENIED_SYSCALLS", [s for s in isolation.DENIED_SYSCALLS if "notify" not in s])
    monkeypatch.setattr(isolation._Config, "probed", None)
    yield
    isolation._Config.probed = None  # the next test probes the full filter again


def hoard(pool_size: int = 1, **options) -> list[str]:
    tasks = [{"job": "payload_job:run", "source": HOARD.read_text(), "name": HOARD.name, **o} for o in options.values()]
    with WorkerPool(workers=pool_size, watchdog_seconds=60) as pool:
        out = dict(pool.run(tasks))
    assert sorted(out) == list(range(len(tasks))), "a batch lost verdicts"
    return [out[i]["reference"]["rejected"][1] for i in range(len(tasks))]


def test_a_child_gets_no_inotify_instance(job_path):
    assert hoard(one={}) == ["inotify instances: 0; refused: EPERM"]


def test_with_inotify_allowed_one_child_takes_its_uids_quota(job_path, inotify_allowed):
    """The class, landing: two zygotes; one child takes every instance of `nobody` and holds them, and the
    candidate beside it in the other slot is refused one meanwhile; alone, the same sibling gets one."""
    assert hoard(alone={"instances": 1}) == ["inotify instances: 1; refused: none"]
    held, sibling = hoard(2, hoarder={"hold": 3.0}, sibling={"wait": 1.0, "instances": 1})
    assert held.startswith("inotify instances: ") and held.endswith("refused: EMFILE"), held
    assert int(held.split(": ")[1].split(";")[0]) >= 100, held
    assert sibling == "inotify instances: 0; refused: EMFILE", (held, sibling)
