"""Payloads that forge what crosses the boundary (records, traces, agreement records, verdict text),
replayed through the real paths: the parent's replay and checks are what stop them (see test_payloads.py
for the corpus's conventions)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from operator import itemgetter
from pathlib import Path

import pytest

from roboinstruct.benchmark.evaluate import evaluate_programs
from roboinstruct.domain import load_domain
from roboinstruct.robosim.explore import explore
from roboinstruct.robosim.verifier import judged, verification_task
from roboinstruct.sandbox import WorkerPool

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
# An honest candidate that uses a shared stdlib class: invalid (it places what it does not hold)
# unless something poisoned Counter or the verifier before it ran.
BYSTANDER = ('import collections\n\ndef task_program():\n    c = collections.Counter(["apple"])\n'
             '    if c["apple"] == 1:\n        place("apple")\n')


@pytest.fixture
def job_path(monkeypatch):
    """Zygotes import payload_job from this folder."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))


def _cli(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roboinstruct", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_oversized_record_costs_one_job_not_the_zygote():
    """A record over the reply limit from a child handed to `nobody` (its zygote kills it: CAP_KILL):
    that job's crash, the zygote lives on (no restart), the next job honest."""
    dom = load_domain()
    huge = HERE / "payloads" / "forge_record_huge_arguments.py"
    tasks = [verification_task(huge.read_text(), dom, 0, 20, {}), verification_task(BYSTANDER, dom, 0, 20, {})]
    out = {}
    with WorkerPool(workers=1) as pool:
        for i, r in pool.run(tasks):
            out[i] = r
        restarts = pool.restarts
    assert out[0]["crashed"] and "over the" in out[0]["message"], out[0]
    assert restarts == 0, "the zygote died of a child's oversized reply"
    assert judged(out[1], tasks[1], dom).to_dict() == explore(BYSTANDER, paths=20).to_dict()


@pytest.fixture(scope="module")
def roboeval_suite(tmp_path_factory) -> str:
    """One fake RoboEval checkout for the module: loading a checkout puts its root on sys.path, and the
    sandbox binds sys.path entries back into a private ancestor it hides, so a second checkout beside
    the first in pytest's (private) base temp folder would be invisible to the zygote."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_conftest", REPO / "tests" / "benchmark" / "conftest.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return f"roboeval:{bench.make_checkout(tmp_path_factory.mktemp('roboeval'), 'codebotler')}"


def test_roboeval_record_seams_agree(roboeval_suite):
    """The parent's replay of a roboeval-mode record that plays with the handed-out map gives the
    verdict the program has in one process."""
    from roboinstruct.benchmark.evaluate import evaluate_program
    from roboinstruct.benchmark.suite import load_tasks

    suite = roboeval_suite
    program = (HERE / "payloads" / "forge_evaluation_roboeval_locations.py").read_text()
    for name, task in load_tasks(suite).items():
        row = evaluate_programs([{"task": name, "prompt_index": 0, "program": program}], suite, workers=1)[0]
        honest = evaluate_program(program, task)
        assert (row["verdict"], row["states"]) == (honest["verdict"], honest["states"]), name
        assert row["verdict"] == "RobotExecutionError", row


def _roboeval_reading(program: str, task) -> bool:
    """Whether RoboEval's own rule (the whole stdout of the run parsed back, printed text and all) would
    pass the task's first state: the forge the payload is, live against that rule."""
    from roboinstruct.benchmark.evaluate import prepared
    from roboinstruct.benchmark.simulator import ConcreteSim
    from roboinstruct.benchmark.trace import parse_lines
    from roboinstruct.sandbox import base_env, run_once

    checked, early = prepared(program, task)
    assert early is None, early
    sim = ConcreteSim(roboeval=True)
    state = task.states[0]
    sim.reset(state.world)
    run_once(checked, sim, base_env(sim), 0)
    return bool(state.check(parse_lines("".join(text for text, _ in sim.text))))


@pytest.mark.parametrize("payload", ["forge_evaluation_printed_trace.py", "forge_evaluation_said_trace.py"])
def test_roboeval_printed_trace_is_not_read(roboeval_suite, payload):
    """A trace printed by the program (or said in a message with line breaks) would pass RoboEval's own
    reading of stdout; the parent's replay reads only the API's own lines, so it does not score."""
    from roboinstruct.benchmark.evaluate import evaluate_program
    from roboinstruct.benchmark.suite import load_tasks

    suite = roboeval_suite
    program = (HERE / "payloads" / payload).read_text()
    task = load_tasks(suite)["GrilledCheese"]
    assert _roboeval_reading(program, task), "the payload no longer forges RoboEval's own reading"
    row = evaluate_programs([{"task": "GrilledCheese", "prompt_index": 0, "program": program}], suite, workers=1)[0]
    assert row["verdict"] == "CompletionError", row
    assert (row["verdict"], row["states"]) == itemgetter("verdict", "states")(evaluate_program(program, task))


def test_agreement_record_is_rebuilt_by_the_parent(job_path):
    """A sample's child that reports a majority sample's record (or, as the previous design took it, its
    digest) as its own: the parent rebuilds behaviours from records and refuses what the sample's own text
    cannot make, so the sample that behaves otherwise is not kept. With the call-site layer off, the
    copied record replays cleanly and would join the majority: that layer is what stops it."""
    from roboinstruct.quality.agreement import JOB as AGREE, _check_result, agreement_many, decide, rebuilt

    dom = load_domain()
    good = 'def task_program():\n    go_to("kitchen")\n    say("hi")\n'
    other = 'def task_program():\n    go_to("office")\n    say("hi")\n'
    group = [other, good, good]
    honest = agreement_many([group], dom, workers=1)[0]
    assert decide(honest).chosen == 1 and honest[0] != honest[1] == honest[2]
    for name in ("forge_agreement_copy_majority.py", "forge_agreement_digest.py"):
        payload = HERE / "payloads" / name
        task = {"job": "payload_job:run", "source": payload.read_text(), "name": payload.name, "programs": group,
                "index": 0, "worlds": 8, "domain": {"raw": dom.raw, "source": dom.source}}
        assert AGREE
        with WorkerPool(workers=1) as pool:
            (_, forged), = list(pool.run([task], check=_check_result))
        if name == "forge_agreement_digest.py":
            assert forged.get("crashed") and "not an agreement record" in forged["message"], forged
            continue
        assert set(forged) == {"rejected", "worlds"}, forged
        with pytest.raises(Exception, match="cannot make"):
            rebuilt(forged, group, 0, dom)
        assert rebuilt(forged, group, 0, dom, check_sites=False) == honest[1], "the copy no longer forges"
        assert decide([None] + honest[1:]).chosen != 0, "the sample that behaves otherwise is the one kept"


def test_agreement_records_the_api_does_not_give_are_refused():
    """Tampered answers and hidden robot errors in an agreement record: refused, or the API's own end."""
    import copy

    from roboinstruct.quality.agreement import behaviours, record_worlds, rebuilt

    dom = load_domain()
    program = ('def task_program():\n    go_to("kitchen")\n    if is_in_room("apple"):\n        pick("apple")\n'
               '    place("apple")\n')
    record = json.loads(json.dumps(record_worlds([program], 0, dom)))
    honest = rebuilt(record, [program], 0, dom)
    assert honest == behaviours([program], dom)[0]
    world, k = next((w, k) for w, path in enumerate(record["worlds"]) for k, c in enumerate(path["calls"])
                    if c[0] == "is_in_room")
    flipped = copy.deepcopy(record)
    flipped["worlds"][world]["calls"][k][3] = not record["worlds"][world]["calls"][k][3]
    with pytest.raises(Exception, match="in the replay"):
        rebuilt(flipped, [program], 0, dom)
    hidden = copy.deepcopy(record)  # place() "returned" where it raised, the world's end dropped
    for path in hidden["worlds"]:
        for call in path["calls"]:
            if len(call) == 3:
                call.append(None)
        path["end"] = None
    assert rebuilt(hidden, [program], 0, dom) == honest  # the API's own robot errors: the same behaviour
    fewer = copy.deepcopy(record)
    fewer["worlds"].pop()
    with pytest.raises(Exception, match="worlds"):
        rebuilt(fewer, [program], 0, dom)


def test_surrogate_text_in_a_verdict_is_written_and_printed(tmp_path):
    """A verdict holding a lone surrogate (the program's own exception text): `verify --jsonl` writes its
    row, the rows after it too, and reads it back as the same text; `verify FILE` prints it escaped.
    Both ended the run with a UnicodeEncodeError (every resume again at the same row)."""
    program = (HERE / "payloads" / "dos_surrogate_verdict_text.py").read_text()
    rows = [{"id": "surrogate", "program": program}, {"id": "after", "program": BYSTANDER}]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    env = {**os.environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8",  # strict UTF-8 stdout, as on most terminals
           "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    batch = _cli(["verify", "--jsonl", str(src), "--out", str(out), "--workers", "1", "--paths", "20"], env)
    assert batch.returncode in (0, 1) and "unexpected" not in batch.stderr, batch.stderr
    got = {r["id"]: r["verdict"] for r in map(json.loads, out.read_text().splitlines())}
    assert sorted(got) == ["after", "surrogate"]
    assert got["surrogate"]["message"] == "ValueError: bad \udc80 byte \ud800 here"
    (tmp_path / "p.py").write_text(program)
    single = _cli(["verify", str(tmp_path / "p.py"), "--workers", "1"], env)
    assert single.returncode in (0, 1) and "unexpected" not in single.stderr, single.stderr
    assert "bad \\udc80 byte \\ud800 here" in single.stdout
