"""The payload corpus (payloads/*.py), replayed through the real paths, layer by layer.

Each payload file starts with `# class: ... | stopped by: ...`, then `# mode:` (program: a robot
program, through `roboinstruct verify` and the evaluator; job: plain Python run as a sandbox job by
payload_job.py, i.e. code that got past the Python layer; task: a tabletop task file, replayed by
test_task_payloads.py) and `# expect:`. The targets: 0 escaped
(no file written outside, no secret read, no process spawned, no network), 0 forged verdicts,
0 cross-candidate effects, 0 lost batches. Isolation is required here (and in CI): these tests
fail, never skip, on a machine without it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from roboinstruct.benchmark.evaluate import evaluate_programs
from roboinstruct.cli import main as cli_main
from roboinstruct.domain import load_domain
from roboinstruct.robosim.explore import explore
from roboinstruct.robosim.verifier import judged, verification_task
from roboinstruct.sandbox import WorkerPool, check_program, ProgramRejected, isolation

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PAYLOADS = sorted((HERE / "payloads").glob("*.py"))
HEADER = re.compile(r"^# (\w+): (.*)$")
HONEST = "honest payload verdict"
# An honest candidate that uses a shared stdlib class: invalid (it places what it does not hold)
# unless something poisoned Counter or the verifier before it ran.
BYSTANDER = ('import collections\n\ndef task_program():\n    c = collections.Counter(["apple"])\n'
             '    if c["apple"] == 1:\n        place("apple")\n')


STRAYS = [Path("/tmp/poison"), Path("/tmp/PWNED_write"), Path("/dev/shm/poison"), Path("/dev/shm/PWNED_write")]


def meta(path: Path) -> dict:
    out = {}
    for line in path.read_text().splitlines():
        m = HEADER.match(line)
        if not m:
            break
        out[m.group(1)] = m.group(2)
    return out


def by_mode(mode: str) -> list[Path]:
    return [p for p in PAYLOADS if meta(p)["mode"] == mode]


def test_corpus_headers():
    assert len(PAYLOADS) >= 12
    for p in PAYLOADS:
        m = meta(p)
        assert " | stopped by: " in m["class"], p.name
        assert m["mode"] in ("program", "job", "task") and m["expect"], p.name
        compile(p.read_text(), p.name, "exec")


def test_isolation_is_complete_here():
    """Never a skip: where the kernel or the packages deny isolation, this fails and says why."""
    st = isolation.status()
    assert st.complete, st.missing
    assert st.bwrap and st.bpf


@pytest.fixture
def world():
    """Places an escape would show up in, outside every sandbox process."""
    tag = uuid.uuid4().hex[:8]
    for stale in STRAYS:  # what a test with the OS layer off may have left
        stale.unlink(missing_ok=True)
    sink = REPO / f".payload-sink-{tag}"  # world-writable: only the read-only mount stops a write
    sink.mkdir()
    sink.chmod(0o777)
    private = REPO / f".payload-secret-{tag}"  # root-only: uid nobody stops a read
    private.mkdir(mode=0o700)
    (private / "key").write_text(f"SECRET-A-{tag}")
    (private / "key").chmod(0o600)
    public = Path(f"/tmp/roboinstruct-secret-{tag}")  # world-readable, in the host's /tmp: the private /tmp stops it
    public.mkdir()
    public.chmod(0o755)
    (public / "key").write_text(f"SECRET-B-{tag}")
    (public / "key").chmod(0o644)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    yield {"sink": sink, "secrets": [str(private / "key"), str(public / "key")], "tag": tag, "listener": listener,
           "port": listener.getsockname()[1]}
    listener.close()
    for stale in STRAYS:
        stale.unlink(missing_ok=True)
    shutil.rmtree(sink, ignore_errors=True)
    shutil.rmtree(private, ignore_errors=True)
    shutil.rmtree(public, ignore_errors=True)


@pytest.fixture
def job_path(monkeypatch):
    """Zygotes import payload_job from this folder."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))


def payload_task(path: Path, world: dict) -> dict:
    return {"job": "payload_job:run", "source": path.read_text(), "name": path.name, "sink": str(world["sink"]),
            "secrets": world["secrets"], "port": world["port"], "parent_pid": os.getpid(),
            "program": BYSTANDER, "extracted": True, "paths": 20}  # what the parent judges the reply as


def assert_nothing_escaped(world: dict, results: list) -> None:
    assert not list(world["sink"].iterdir()), "a file was written outside the sandbox"
    assert not any(p.exists() for p in STRAYS)
    text = json.dumps(results)
    assert f"SECRET-A-{world['tag']}" not in text and f"SECRET-B-{world['tag']}" not in text, "a secret was read"
    with pytest.raises(BlockingIOError):
        world["listener"].accept()  # nobody connected to the host's loopback
    for r in results:
        stats = r.get("stats") or {}
        assert not stats.get("spawned") and not stats.get("opened"), stats


def run_batch(tasks: list[dict]) -> list[dict]:
    """The raw replies (an escape's evidence is in them); `judged` checks and judges them."""
    out = {}
    with WorkerPool(workers=1) as pool:  # one zygote: every candidate after every other
        for i, r in pool.run(tasks):
            out[i] = r
    assert sorted(out) == list(range(len(tasks))), "a batch lost verdicts"
    return [out[i] for i in range(len(tasks))]


def test_job_payloads_all_layers(world, job_path):
    """Every job payload, each followed by an honest bystander, in one batch on one zygote."""
    dom = load_domain()
    honest = explore(BYSTANDER, paths=20).to_dict()
    assert not honest["valid"]
    tasks = []
    for p in by_mode("job"):
        tasks += [payload_task(p, world), verification_task(BYSTANDER, dom, 0, 20, {})]
    raw = run_batch(tasks)
    assert_nothing_escaped(world, raw)
    results = [judged(r, t, dom).to_dict() for r, t in zip(raw, tasks)]
    for p, payload, bystander in zip(by_mode("job"), results[::2], results[1::2]):
        expect = meta(p)["expect"]
        assert bystander == honest, f"{p.name} changed the next candidate's verdict"
        assert payload["valid"] is False, f"{p.name}: forged verdict"
        if expect == "crash":
            assert payload["error_kind"] == "SandboxError", (p.name, payload)
        elif expect == "not-forged":  # its honest verdict, the parent's own verdict, or a crash (test_judge_apart)
            assert payload["valid"] is False, (p.name, payload)


PROBE = ("maps = open('/proc/self/maps').read()\n"
         "size = next(ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmSize'))\n"
         "RESULT['message'] = size + (' torch' if 'libtorch' in maps else '')\n")


def test_a_child_cannot_make_its_zygote_import_beyond_our_packages(world, job_path):
    """A child's word (the modules its envelope says it imported) makes the zygote import only modules of
    PRELOADABLE packages and the standard library, transitively: the next child does not start with torch."""
    probe = {**payload_task(HERE / "payloads" / "cross_candidate_preload_transitive.py", world),
             "source": PROBE, "name": "probe"}
    raw = run_batch([probe, payload_task(HERE / "payloads" / "cross_candidate_preload_transitive.py", world), probe])
    before, after = (r["reference"]["rejected"][1].split() for r in (raw[0], raw[2]))
    assert after[1:] == [], f"the next child has torch mapped ({after[0]} kB)"
    assert int(after[0]) < int(before[0]) + 100_000, (before, after)


def test_a_warmed_spare_gives_its_candidate_no_live_nonce_nor_descriptor(world, job_path, monkeypatch):
    """Spares on, a warm-up like the verifier's: the payload runs in a spare that warmed up before its job
    came. In its memory it finds spent nonces at most (never its own job's), no descriptor but its pipes
    (and the one listing them); the previous candidate's task is there (no secret: reported)."""
    from roboinstruct.sandbox import workers

    monkeypatch.setenv("ROBOINSTRUCT_SANDBOX_SPARES", "always")
    nonces: list[str] = []
    token = workers.secrets.token_hex
    monkeypatch.setattr(workers.secrets, "token_hex", lambda n: nonces.append(token(n)) or nonces[-1])
    payload = HERE / "payloads" / "cross_candidate_spare_warm_state.py"
    tasks = [{**payload_task(payload, world), "job": "payload_job:run_warmed", "name": f"job{i}"} for i in range(4)]
    raw = run_batch(tasks)
    assert_nothing_escaped(world, raw)
    assert len(nonces) == len(tasks)
    warmed = 0
    for i, r in enumerate(raw):
        stats = r["stats"]
        assert nonces[i] not in stats["hex"] and not set(nonces[i:]) & set(stats["hex"]), f"job {i} saw a live nonce"
        assert len(stats["fds"]) <= 5, stats["fds"]  # 0-2 (/dev/null), its reply pipe, the listing's own
        warmed += stats["warmed"]
        assert not stats["warmed"] or stats["previous_tasks"] == [f"job{i - 1}"], stats["previous_tasks"]
    assert warmed, "no payload ran in a warmed spare: the test no longer tests the warm-up"


def test_fork_per_candidate_alone(world, job_path):
    """OS isolation off: one fresh process per candidate still undoes a poisoned verifier."""
    isolation.configure(enabled=False)
    try:
        dom = load_domain()
        poison = HERE / "payloads" / "cross_candidate_poison.py"
        bystander = verification_task(BYSTANDER, dom, 0, 20, {})
        results = run_batch([payload_task(poison, world), bystander, bystander])
    finally:
        isolation.configure(enabled=True)
    honest = explore(BYSTANDER, paths=20).to_dict()
    assert judged(results[1], bystander, dom).to_dict() == honest and judged(results[2], bystander, dom).to_dict() == honest


def test_reply_protocol_alone(world, job_path):
    """OS isolation off (the child runs as root and can open /proc/<zygote>/fd): a forged reply
    frame without the job's nonce is a crash of that job, never its verdict; the batch goes on.
    (Alone, the protocol cannot keep a root child from garbling its zygote's input, which may cost
    the next job a crash, never a forged verdict; the OS layer stops that: all-layers test.)"""
    isolation.configure(enabled=False)
    try:
        dom = load_domain()
        forge = HERE / "payloads" / "forge_reply_side_channel.py"
        tasks = [payload_task(forge, world), verification_task(BYSTANDER, dom, 0, 20, {})]
        results = [judged(r, t, dom) for r, t in zip(run_batch(tasks), tasks)]
    finally:
        isolation.configure(enabled=True)
    assert results[0].valid is False
    assert results[0].error_kind == "SandboxError" or results[0].message == HONEST
    assert results[1].error_kind == "SandboxError" or results[1].to_dict() == explore(BYSTANDER, paths=20).to_dict()


def test_without_os_isolation_the_escape_is_visible(world, job_path):
    """The escape checks can fail: with the OS layer off, the write lands (so the layer is what
    stops it in test_job_payloads_all_layers)."""
    isolation.configure(enabled=False)
    try:
        run_batch([payload_task(HERE / "payloads" / "escape_write_outside.py", world)])
    finally:
        isolation.configure(enabled=True)
    assert (world["sink"] / "PWNED_write").exists()


def test_program_payloads_through_the_cli(tmp_path, capsys):
    """Robot-program payloads, interleaved with bystanders, in one `roboinstruct verify --jsonl` batch."""
    rows = []
    for p in by_mode("program"):
        rows += [{"id": p.stem, "program": p.read_text()}, {"id": p.stem + "+bystander", "program": BYSTANDER}]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code = cli_main(["verify", "--jsonl", str(src), "--out", str(out), "--workers", "1", "--paths", "20",
                     "--require-isolation"])
    assert code in (0, 1), capsys.readouterr().err
    got = {r["id"]: r["verdict"] for r in map(json.loads, out.read_text().splitlines())}
    assert len(got) == len(rows), "a batch lost verdicts"
    honest = explore(BYSTANDER, paths=20)
    for p in by_mode("program"):
        m, v = meta(p), got[p.stem]
        assert v["valid"] is False, p.name
        if m["expect"] == "rejected":
            assert v["paths"] == 0 and v["error_kind"] == "SandboxError" and m["reject"] in v["message"], v
        assert got[p.stem + "+bystander"]["valid"] == honest.valid


def test_program_payloads_through_the_evaluator():
    first_task = next(iter(_suite()))
    rows = [{"task": first_task, "prompt_index": 0, "program": p.read_text()} for p in by_mode("program")]
    for p, r in zip(by_mode("program"), evaluate_programs(rows, "builtin", workers=1)):
        assert r["verdict"] in ("RobotExecutionError", "PythonError"), (p.name, r["verdict"])
        if meta(p)["expect"] == "rejected":
            assert meta(p)["reject"] in r["message"], r["message"]


def _suite():
    from roboinstruct.benchmark.suite import load_tasks

    return load_tasks("builtin")


def test_ast_policy_alone():
    """No execution at all: the static check refuses the shared-state stores."""
    policy = load_domain().policy()
    for p in by_mode("program"):
        m = meta(p)
        if m["expect"] == "rejected":
            with pytest.raises(ProgramRejected, match=re.escape(m["reject"])):
                check_program(p.read_text(), policy)


def _cli(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roboinstruct", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_require_isolation_refuses_where_isolation_is_missing(tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text('def task_program():\n    say("hi")\n')
    env = {**os.environ, "PATH": str(tmp_path),  # no bwrap on PATH: isolation is incomplete
           "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    refused = _cli(["verify", str(prog), "--require-isolation"], env)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "bubblewrap" in refused.stderr and "--require-isolation" in refused.stderr
    warned = _cli(["verify", str(prog)], env)
    assert warned.returncode == 0 and "valid" in warned.stdout
    assert [ln for ln in warned.stderr.splitlines() if "warning" in ln] == [warned.stderr.strip()]
