"""The pool as a user who is not root (bubblewrap's user namespace; children keep the user's uid),
emulated from root with `unshare --user` (util-linux): uid 1000 inside, no capability on the host.

A child that got past the Python layer may read what the user may, so the user's home is hidden but
for its visible entries (views.home_binds): no key, credential or configuration file under a
dot-entry, while a project or checkout in the home stays readable (a task loads its assets from
there). The rest of the confinement holds as for root: seccomp, no-new-privs, no fork or socket, an
empty read-only /tmp and /dev/shm (and /dev read-only), nothing left for the next candidate, one thread; the
zygote is PID 1 (no reaper of the user's uid holding its pipes); the user's runtime directory is empty.
Never skipped: where the kernel refuses user namespaces it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


@pytest.fixture
def home():
    """A user's home outside /tmp (the zygote's /tmp is private): keys under dot-entries, a project."""
    h = REPO / f".nonroot-home-{uuid.uuid4().hex[:8]}"
    (h / ".ssh").mkdir(parents=True)
    (h / ".ssh" / "id_rsa").write_text("PRIVATE-KEY")
    (h / ".netrc").write_text("machine example.org password SECRET")
    for p in (h / ".ssh" / "id_rsa", h / ".netrc"):
        p.chmod(0o600)
    (h / "project").mkdir()
    (h / "project" / "asset.txt").write_text("an asset")
    (h / "data").symlink_to("project")
    yield h
    shutil.rmtree(h, ignore_errors=True)


def run_as_user(home: Path, *flags: str, runtime: Path | None = None) -> dict:
    env = {**{k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}, "HOME": str(home),
           **({"XDG_RUNTIME_DIR": str(runtime)} if runtime else {}),
           "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(["unshare", "--user", "--map-user=1000", "--map-group=1000", sys.executable,
                           str(HERE / "nonroot_driver.py"), str(home), *flags],
                          capture_output=True, text=True, timeout=300, env=env, cwd="/")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_users_children_see_the_home_but_not_its_dot_entries(home):
    got = run_as_user(home)
    assert got["uid"] == 1000 and got["missing"] == [], got
    files, probe, numbers, leave, look = got["jobs"]
    read = {Path(p).relative_to(home).as_posix(): v for p, v in files["read"].items()}
    assert read == {".ssh/id_rsa": "ENOENT", ".netrc": "ENOENT", "project/asset.txt": "an asset",
                    "data/asset.txt": "an asset"}, files
    assert files["home"] == ["data", "project"] and files["uid"] == 1000, files
    assert probe["status"]["Seccomp"] == "2" and probe["status"]["NoNewPrivs"] == "1", probe
    assert probe["fork"] == "EPERM" and probe["socket"] == "EPERM", probe
    assert probe["tmp"] == [] and probe["tmp_read_only"], probe
    assert numbers["checksum"] == 5324775.0 and numbers["threads"] == 1, numbers
    # nothing one child leaves is there for the next (bubblewrap's own /dev/shm was writable)
    assert set(leave.values()) <= {"EROFS", "EPERM", "EACCES"}, leave
    assert look == {"files": [], "ipc": {"shm": [], "msg": [], "sem": []}, "mq": False}, look


@pytest.fixture
def runtime():
    """The user's runtime directory ($XDG_RUNTIME_DIR): a registry login, as podman keeps it."""
    r = REPO / f".nonroot-run-{uuid.uuid4().hex[:8]}"
    (r / "containers").mkdir(parents=True)
    (r / "containers" / "auth.json").write_text('{"auths": {"registry.example": {"auth": "TOKEN"}}}')
    (r / "containers" / "auth.json").chmod(0o600)
    r.chmod(0o700)
    yield r
    shutil.rmtree(r, ignore_errors=True)


RUNTIME = HERE / "payloads" / "escape_read_user_runtime.py"


def test_a_users_runtime_directory_is_empty_to_children(home, runtime):
    _, first, second, _ = run_as_user(home, f"payload={RUNTIME}", runtime=runtime)["jobs"]
    for payload in (first, second):
        assert payload["reference"]["rejected"][1] == "{}", payload


def test_without_the_runtime_binds_a_child_reads_the_users_registry_login(home, runtime):
    """The class, landing: the runtime directory as the user has it; the payload reads its login."""
    _, first, _, _ = run_as_user(home, f"payload={RUNTIME}", "without-runtime-binds", runtime=runtime)["jobs"]
    assert "TOKEN" in first["reference"]["rejected"][1], first


def test_without_the_home_binds_a_child_reads_the_users_keys(home):
    files = run_as_user(home, "without-home-binds")["jobs"][0]
    assert files["read"][str(home / ".ssh" / "id_rsa")] == "PRIVATE-KEY", files


REAPER = HERE / "payloads" / "cross_candidate_reaper_job_stream.py"


def test_a_child_cannot_reach_the_zygotes_streams_through_pid_1(home):
    """The zygote is PID 1 of its namespace (bubblewrap --as-pid-1), non-dumpable: a child of the same
    uid cannot open its job stream or its memory, and the candidate after it is judged as alone."""
    honest, *payloads, after = run_as_user(home, f"payload={REAPER}")["jobs"]
    for payload in payloads:
        found = json.loads(payload["reference"]["rejected"][1])
        assert found == {"stream": "Permission denied", "mem": "Permission denied"}, found
    assert after == honest and honest["error_kind"] != "SandboxError", (honest, after)


def test_with_bubblewraps_reaper_a_child_poisons_the_next_candidates(home):
    """The class, landing: bubblewrap's reaper as PID 1 (the user's uid, dumpable, no seccomp, holding
    the zygote's pipes). The payload writes a frame into the zygote's job stream that redefines the
    shared domain: the next honest candidate on that zygote runs on it and loses its verdict."""
    honest, payload, _, after = run_as_user(home, f"payload={REAPER}", "with-reaper")["jobs"]
    found = json.loads(payload["reference"]["rejected"][1])
    assert found == {"stream": "written", "mem": "opened"}, found
    assert honest["error_kind"] != "SandboxError", honest
    # the zygote's own trusted warm-up (`prepare`) fails on the redefined domain
    assert after["error_kind"] == "SandboxError" and "sandbox job cannot start" in after["message"], after


DEV = HERE / "payloads" / "cross_candidate_user_dev.py"


def test_a_child_leaves_nothing_in_dev(home):
    """/dev is read-only once bubblewrap built it (its devices stay writable: a child writes /dev/null)."""
    _, first, second, _ = run_as_user(home, f"payload={DEV}")["jobs"]
    for payload in (first, second):
        assert json.loads(payload["reference"]["rejected"][1]) == {"seen": False, "left": "Read-only file system"}


def test_with_a_writable_dev_a_child_leaves_a_file_for_the_next(home):
    """The class, landing: bubblewrap's /dev as it was (a tmpfs of the user's, writable): the second
    candidate on the zygote reads what the first left."""
    _, first, second, _ = run_as_user(home, f"payload={DEV}", "writable-dev")["jobs"]
    assert json.loads(first["reference"]["rejected"][1]) == {"seen": False, "left": "written"}, first
    assert json.loads(second["reference"]["rejected"][1])["seen"] is True, second
