"""A candidate child's OS confinement, seen from inside the child (confinement_job.py): what is its
own, what it shares with its zygote's other children and why that shares nothing between them.

Each zygote prepares one mount namespace for its children (an empty read-only /tmp and /dev/shm;
isolation.Confinement) instead of one per child; these tests pin what that must keep: the seccomp
filter and no-new-privs in force in every child, uid nobody without capabilities, nothing a child
can leave for the next one (no file anywhere writable, no System V or POSIX IPC object), the host's
/tmp hidden from children but still seen by the zygote. Isolation is required here: they fail,
never skip, where it is missing (test_payloads.test_isolation_is_complete_here says why).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from roboinstruct.sandbox import WorkerPool, isolation

HERE = Path(__file__).resolve().parent
NOBODY = 65534


@pytest.fixture
def job_path(monkeypatch):
    """Zygotes import confinement_job from this folder."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))


@pytest.fixture
def host_file():
    path = Path(f"/tmp/roboinstruct-host-{uuid.uuid4().hex[:8]}")
    path.write_text("the host's /tmp")
    path.chmod(0o644)  # world-readable: only the mount namespace hides it from a child
    yield str(path)
    path.unlink(missing_ok=True)


def run(tasks: list[dict]) -> list[dict]:
    with WorkerPool(workers=1) as pool:  # one zygote: each child after the other, forked from the same process
        out = dict(pool.run(tasks))
    assert sorted(out) == list(range(len(tasks)))
    return [out[i] for i in range(len(tasks))]


def test_every_child_is_confined(job_path, host_file):
    """Several children of one zygote: each has the seccomp filter (mode 2) and no-new-privs in force,
    runs as nobody without capabilities, cannot fork, open a socket or unshare, and sees an empty
    read-only /tmp; the zygote (its `prepare`) still read the host's /tmp."""
    assert os.geteuid() == 0, "these tests run as root here and in CI (uids can be changed)"
    for r in run([{"job": "confinement_job:probe", "host_file": host_file}] * 3):
        assert "crashed" not in r, r
        assert r["status"]["Seccomp"] == "2" and r["status"]["NoNewPrivs"] == "1", r["status"]
        assert int(r["status"]["CapEff"], 16) == 0 and int(r["status"]["CapPrm"], 16) == 0, r["status"]
        assert r["uid"] == [NOBODY] * 3 and r["gid"] == [NOBODY] * 3
        assert r["fork"] == "EPERM" and r["socket"] == "EPERM" and r["unshare"] == "EPERM", r
        assert r["tmp"] == [] and r["dev_shm"] == [] and r["tmp_read_only"], r
        assert r["host_file_here"] is False, "a child sees the host's /tmp"
        assert r["zygote_read"] == "the host's /tmp", "the zygote lost the host's /tmp"


def test_a_child_leaves_nothing_for_the_next(job_path):
    """The children of one zygote share its prepared mount namespace and its IPC namespace: neither
    carries anything from one candidate to the next (no writable place, IPC objects refused)."""
    tag = uuid.uuid4().hex[:8]
    left, seen = run([{"job": "confinement_job:leave", "tag": tag}, {"job": "confinement_job:look", "tag": tag}])
    assert all(v != "ok" for v in left.values()), left
    assert left["shmget"] == left["msgget"] == left["semget"] == left["mq_open"] == "EPERM", left
    assert seen == {"files": [], "ipc": {"shm": [], "msg": [], "sem": []}, "mq": False}, seen


def test_without_os_isolation_what_a_child_leaves_is_seen(job_path):
    """The check above can fail: with the OS layer off the next child finds the files and IPC objects
    (and removes them: this ran on the host)."""
    tag = uuid.uuid4().hex[:8]
    isolation.configure(enabled=False)
    try:
        left, seen = run([{"job": "confinement_job:leave", "tag": tag},
                          {"job": "confinement_job:look", "tag": tag, "clean": True}])
    finally:
        isolation.configure(enabled=True)
    assert left["/tmp"] == "ok" and left["shmget"] == "ok" and left["mq_open"] == "ok", left
    assert "/tmp" in seen["files"] and seen["ipc"]["shm"] and seen["mq"], seen


@pytest.fixture
def spares(monkeypatch):
    """Spares always (by default a pool asks for them only while it leaves a core free: spares_for)."""
    monkeypatch.setenv("ROBOINSTRUCT_SANDBOX_SPARES", "always")


def test_spares_are_fresh_confined_processes(job_path, spares):
    """After the first job a zygote hands each job to a spare child forked while the previous one ran
    (worker.py): still one new process per candidate, confined like the others before it got its job."""
    got = run([{"job": "confinement_job:way_in"}] * 4)
    assert [g["spare"] for g in got] == [False, True, True, True], got
    assert len({g["pid"] for g in got}) == 4, "a process ran two candidates"
    for g in got:
        assert g["status"]["Seccomp"] == "2" and g["status"]["NoNewPrivs"] == "1", g


def test_a_spare_warms_up_confined_before_its_job_and_a_failing_warm_up_costs_nothing(job_path, spares):
    """A spare runs its job function's `warm` (trusted code of ours) in its own process, after its
    confinement, before its job comes; a child forked for its job does not; a warm-up that raises
    leaves the job to run as it would have."""
    got = run([{"job": "confinement_job:warmed"}] * 3)
    assert got[0]["warmed"] is None, got  # the first job's child was forked for it
    for g in got[1:]:
        assert g["warmed"]["pid"] == g["pid"] and g["warmed"]["seccomp"] == "2", got
    failing = run([{"job": "confinement_job:warmed", "fail": True}] * 3)
    assert [g["warmed"] for g in failing] == [None] * 3 and len({g["pid"] for g in failing}) == 3, failing


def test_without_spares_every_child_is_forked_for_its_job(job_path, monkeypatch):
    monkeypatch.setenv("ROBOINSTRUCT_SANDBOX_SPARES", "never")
    got = run([{"job": "confinement_job:way_in"}] * 3)
    assert [g["spare"] for g in got] == [False] * 3 and all(g["fresh"] for g in got), got


def test_a_one_zygote_pool_on_a_machine_with_a_free_core_uses_spares(job_path, monkeypatch):
    """Left to itself (no ROBOINSTRUCT_SANDBOX_SPARES), a pool of one zygote gets spares where this
    process may use more than one CPU, and none where it may use one."""
    monkeypatch.delenv("ROBOINSTRUCT_SANDBOX_SPARES", raising=False)
    got = run([{"job": "confinement_job:way_in"}] * 3)
    expected = len(os.sched_getaffinity(0)) > 1
    assert [g["spare"] for g in got] == [False, expected, expected], got


def test_a_shared_value_is_one_object_and_a_new_one_makes_the_spare_stale(job_path, spares):
    """A domain declaration is sent to a zygote once and every child gets the zygote's one parsed
    object (lookups by identity hold in spares too); a new shared value makes the waiting spare
    stale: the job that brought it gets a child forked after the zygote had it."""
    first, second = {"raw": {"rooms": ["a"]}, "source": "one"}, {"raw": {"rooms": ["b"]}, "source": "two"}
    got = run([{"job": "confinement_job:way_in", "domain": first}] * 3
              + [{"job": "confinement_job:way_in", "domain": second}] * 2)
    assert [g["spare"] for g in got] == [False, True, True, False, True], got
    assert len({g["domain_id"] for g in got[:3]}) == 1 and got[3]["domain_id"] == got[4]["domain_id"]


def test_a_child_cannot_lift_its_own_limits(job_path):
    """Code that got past the Python layer raises its soft limits to the hard ones (any process may):
    the hard limits are the limits (memory and file size exactly, CPU one second above, so SIGXCPU
    still names the cause), not unlimited: no memory bomb past the limit, no spin until the watchdog,
    no threads past the task limit (one child's threads took every PID of the host), no more descriptors
    than FD_LIMIT (each pipe holds kernel memory the address-space limit does not count)."""
    from roboinstruct.sandbox import child
    from roboinstruct.sandbox.workers import DEFAULT_CPU_SECONDS, DEFAULT_MEMORY_MB

    (got,) = run([{"job": "confinement_job:raise_limits"}])
    assert got["RLIMIT_AS"][1] == [DEFAULT_MEMORY_MB << 20] * 2, got
    assert got["RLIMIT_FSIZE"][1] == [1 << 20] * 2, got
    assert got["RLIMIT_CPU"][1] == [DEFAULT_CPU_SECONDS + 1] * 2, got
    assert got["RLIMIT_CORE"][1] == [0, 0], got
    assert got["RLIMIT_NPROC"][1] == [child.TASK_LIMIT] * 2, got  # its threads cannot take the host's PIDs
    assert got["RLIMIT_NOFILE"][1] == [child.FD_LIMIT] * 2, got  # pipe buffers (outside RLIMIT_AS) bounded


def test_pipe_buffers_outside_the_address_space_limit_are_bounded(job_path):
    """payloads/escape_pipe_buffers.py: descriptors run out at FD_LIMIT (a pipe takes two; the job's own
    reply pipe and the standard streams take the rest), so at most ~32 MB of pipe buffers."""
    from roboinstruct.sandbox import child

    (got,) = run([{"job": "confinement_job:hold_pipes"}])
    held = int(got["message"].split(": ")[1].split()[0])
    assert got["message"].endswith("(EMFILE)") and child.FD_LIMIT // 2 - 4 <= held < child.FD_LIMIT // 2, got


def test_memory_files_outside_the_address_space_limit_are_refused(job_path):
    """payloads/escape_memfd_memory.py: memfd_create is denied (its pages count against no limit of ours)."""
    (got,) = run([{"job": "confinement_job:hold_memory_files"}])
    assert got["message"] == "memory files held: 0 MB (EPERM)", got


def test_without_the_memfd_rule_memory_files_are_held(job_path, monkeypatch):
    monkeypatch.setattr(isolation, "DENIED_SYSCALLS", [s for s in isolation.DENIED_SYSCALLS if s != "memfd_create"])
    monkeypatch.setattr(isolation._Config, "probed", None)
    try:
        (got,) = run([{"job": "confinement_job:hold_memory_files"}])
    finally:
        isolation._Config.probed = None
    assert got["message"] == "memory files held: 64 MB (ok)", got
