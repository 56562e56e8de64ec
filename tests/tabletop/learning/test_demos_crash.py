"""A demonstration episode whose child crashed (its CPU or memory limit: a task file can cause either)
is a failed episode, with `--keep-failed` too: it has no steps to keep (it was a KeyError on its
missing arrays that ended the whole recording)."""

from roboinstruct import sandbox
from roboinstruct.tabletop.learning import demos
from roboinstruct.tabletop.validate.verdict import Candidate


class _CrashingPool:
    def __init__(self, *_, **__):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return None

    def run(self, jobs):
        for i, _ in enumerate(jobs):
            yield i, {"crashed": True, "error_kind": "SandboxError", "message": "sandbox worker CPU time limit exceeded"}


def test_a_crashed_episode_is_a_failure_not_the_end_of_the_recording(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "WorkerPool", _CrashingPool)
    out = demos.record([Candidate("spin.py", "x = 1\n")], episodes=2, seed=0, out=tmp_path, keep_failed=True)
    assert out["episodes"] == 2 and out["kept"] == 0 and out["failed"] == 2
    assert all("CPU time limit" in r["reason"] for r in out["rows"])
