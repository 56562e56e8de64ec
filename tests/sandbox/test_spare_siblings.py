"""A candidate beside the spare that waits for the next candidate (worker.py: forked, confined and
warmed up while the current one runs, whenever a pool leaves a core free), through the real pool.

Both children are `nobody` in one PID namespace, so what one process of a uid may do to another is
the attack surface: signals that are not kill() (a pipe's SIGIO owned by the spare), the spare's
resource limits (prlimit64), its scheduling, and a child that replies and stays alive beside the
next candidates. Each payload (payloads/cross_candidate_spare_*.py, cross_candidate_linger_after_
reply.py) runs as code that got past the Python layer, followed by honest verifications handed to
the spare; each test shows the next verdicts unchanged, and its counterpart, with the layer that
stops it removed, shows the attack landing (so that layer is what stops it).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from roboinstruct.domain import load_domain
from roboinstruct.robosim.explore import explore
from roboinstruct.robosim.verifier import judged, verification_task
from roboinstruct.sandbox import WorkerPool, isolation

HERE = Path(__file__).resolve().parent
PAYLOADS = HERE / "payloads"
VALID = 'def task_program():\n    go_to("kitchen")\n    say("hello")\n'
# valid too, and it needs a new mapping (3 MB of text): what a limit set from outside would refuse
ROOMY = 'def task_program():\n    note = "ok " * 1000000\n    go_to("kitchen")\n    say(note[:5])\n'


@pytest.fixture
def spares(monkeypatch):
    """Zygotes import payload_job from this folder; spares always (under `taskset -c 1` a pool of one
    would get none: workers.spares_for)."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("ROBOINSTRUCT_SANDBOX_SPARES", "always")


def batch(payload: str, watchdog: float = 60.0, program: str = VALID, **extra) -> tuple[list[dict], list[dict], list]:
    """A warm-up verification (the zygote parses the domain: a spare forked later is not stale), the
    payload, then two verifications of a valid program: (raw replies, tasks, the judged verdicts)."""
    dom = load_domain()
    honest = verification_task(program, dom, 0, 20, {})
    attack = {**honest, "source": (PAYLOADS / payload).read_text(), "name": payload, **extra}
    tasks = [honest, attack, honest, honest]
    out = {}
    with WorkerPool(workers=1, watchdog_seconds=watchdog) as pool:
        out.update(pool.run([{**t, "job": "payload_job:run_or_verify"} for t in tasks]))
        lingering = _lingering()
    assert sorted(out) == [0, 1, 2, 3], "a batch lost verdicts"
    raw = [out[i] for i in range(4)]
    return raw, tasks, [judged(r, t, dom).to_dict() if i != 1 else r for i, (r, t) in enumerate(zip(raw, tasks))] \
        + [lingering]


def _lingering() -> list[int]:
    """Host pids of live processes named `rt-linger` (the lingering payload renames itself)."""
    found = []
    for name in os.listdir("/proc"):
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except (OSError, ValueError):
            continue
        if "(rt-linger)" in stat and stat.rsplit(")", 1)[1].split()[0] not in "ZX":
            found.append(int(name))
    return found


def _honest(program: str = VALID) -> dict:
    verdict = explore(program, paths=20).to_dict()
    assert verdict["valid"], verdict
    return verdict


def _message(raw: dict) -> str:
    return raw["reference"]["rejected"][1]


@pytest.fixture
def without_rules(monkeypatch):
    """The seccomp filter without this session's rules (the layer under test removed)."""
    monkeypatch.setattr(isolation, "ONLY_SELF", ())
    monkeypatch.setattr(isolation, "DENIED_FCNTL", ())
    monkeypatch.setattr(isolation._Config, "probed", None)
    yield
    isolation._Config.probed = None  # the next test probes the full filter again


def test_sigio_stop_of_the_waiting_spare_is_refused(spares):
    raw, _, (_, attack, first, second, _) = batch("cross_candidate_spare_sigio_stop.py")
    assert "EPERM" in _message(attack) and "ok" not in _message(attack), _message(attack)
    assert first == second == _honest(), "the payload changed the next candidate's verdict"


def landed(payload: str, hit, tries: int = 3, **kw):
    """The batch, again until the payload's victim was hit (at most `tries`): a zygote discards its spare
    when it learned something since the fork (worker.py's `epoch`: a garbage collection during the next
    job's `prepare` counts), and the next candidate then runs in a child the payload never saw."""
    for _ in range(tries):
        got = batch(payload, **kw)
        if hit(got[2][2]):
            break
    return got


def test_without_the_fcntl_rule_the_spare_is_stopped(spares, without_rules):
    raw, _, (_, attack, first, second, _) = landed("cross_candidate_spare_sigio_stop.py",
                                                   lambda v: v["error_kind"] == "SandboxError", watchdog=8)
    assert "F_SETOWN ok" in _message(attack), _message(attack)
    assert first["error_kind"] == "SandboxError" and "watchdog" in first["message"], first
    assert second == _honest()


def test_prlimit_of_the_waiting_spare_is_refused(spares):
    raw, _, (_, attack, first, second, _) = batch("cross_candidate_spare_prlimit.py", program=ROOMY)
    assert "EPERM" in _message(attack) and "ok" not in _message(attack), _message(attack)
    assert first == second == _honest(ROOMY), "the payload changed the next candidate's verdict"


def test_without_the_prlimit_rule_the_next_verdict_changes(spares, without_rules):
    raw, _, (_, attack, first, second, _) = landed("cross_candidate_spare_prlimit.py", lambda v: not v["valid"],
                                                   program=ROOMY)
    assert "'ok'" in _message(attack), _message(attack)
    assert first["valid"] is False and first["message"] == "memory limit exceeded", first  # a valid program refused
    assert second == _honest(ROOMY)


def test_scheduling_of_the_waiting_spare_is_refused(spares):
    raw, _, (_, attack, first, second, _) = batch("cross_candidate_spare_sched.py")
    assert "EPERM" in _message(attack) and "'ok'" not in _message(attack), _message(attack)
    assert first == second == _honest()


def test_without_the_scheduling_rules_the_spare_is_starved(spares, without_rules):
    raw, _, (_, attack, first, second, _) = batch("cross_candidate_spare_sched.py")
    assert _message(attack).count("'ok'") >= 4, _message(attack)  # SCHED_IDLE etc. landed (timing only here)


def test_a_child_that_replies_and_stays_is_killed(spares):
    started = time.monotonic()
    raw, _, (_, attack, first, second, lingering) = batch("cross_candidate_linger_after_reply.py", stay=30.0)
    assert _message(attack) == "lingering", attack  # its own reply, passed on
    assert lingering == [], "a child outlived its reply"
    assert first == second == _honest()
    assert time.monotonic() - started < 25


def test_without_cap_kill_the_child_stays(spares, monkeypatch):
    """The zygote without CAP_KILL cannot kill its `nobody` child: it stays beside the next candidates
    (its signals are refused by seccomp: the verdicts still hold)."""
    st = isolation.status()
    bwrap = list(st.bwrap)
    i = bwrap.index("CAP_KILL")
    del bwrap[i - 1:i + 1]
    monkeypatch.setattr(isolation._Config, "probed", isolation.Status(bwrap, st.bpf, st.drop_uid, st.missing))
    raw, _, (_, attack, first, second, lingering) = batch("cross_candidate_linger_after_reply.py", stay=5.0)
    monkeypatch.setattr(isolation._Config, "probed", None)
    assert lingering, "the lingering payload did not stay: the test no longer tests the kill"
    assert first == second == _honest()


def _verify_cli(rows: list[dict], tmp_path: Path, spares: str, monkeypatch) -> dict:
    from roboinstruct.cli import main as cli_main

    monkeypatch.setenv("ROBOINSTRUCT_SANDBOX_SPARES", spares)
    src, out = tmp_path / f"in-{spares}.jsonl", tmp_path / f"out-{spares}.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert cli_main(["verify", "--jsonl", str(src), "--out", str(out), "--workers", "1", "--paths", "20",
                     "--require-isolation"]) in (0, 1)
    return {r["id"]: r["verdict"] for r in map(json.loads, out.read_text().splitlines())}


def test_a_programs_recursion_depth_does_not_depend_on_spares(tmp_path, monkeypatch):
    """`roboinstruct verify --workers 1`: every row but the first runs in a spare (always) or in a child
    forked for it (never); a program recursing near the limit gets one verdict either way, the one a
    child forked for its job gave before (1985 and 1986 deep used to be refused in spares only)."""
    payload = (PAYLOADS / "cross_candidate_spare_recursion_depth.py").read_text()
    rows = [{"id": "first", "program": VALID}]
    rows += [{"id": str(n), "program": payload.replace("down(1987)", f"down({n})")} for n in (1984, 1985, 1986, 1987)]
    spare, fresh = (_verify_cli(rows, tmp_path, s, monkeypatch) for s in ("always", "never"))
    assert spare == fresh
    assert [spare[str(n)]["valid"] for n in (1984, 1985, 1986, 1987)] == [True, True, True, False], spare
