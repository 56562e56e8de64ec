"""`roboinstruct generate` for real: the embedded 0.5B model, real RoboSim, real processes."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# batch 4 / 6 rounds: the 0.5B copies most of the example tasks it is shown back (README), so a
# round of 2 could keep nothing and the run would end before any program exists.
SMALL = """
num: 2
batch: 4
max_rounds: 6
model: qwen2.5-coder-0.5b
max_resamples: 1
paths: 200
max_tokens_instruction: 48
max_tokens_program: 200
max_tokens_instalign: 200
max_tokens_select: 100
workers: 1
"""


@pytest.fixture
def env(tmp_path):
    if os.environ.get("ROBOINSTRUCT_SKIP_MODEL_TESTS") == "1":
        pytest.skip("ROBOINSTRUCT_SKIP_MODEL_TESTS=1: model-backed tests skipped")
    e = dict(os.environ)
    e["ROBOINSTRUCT_CACHE_DIR"] = str(tmp_path / "cache")
    return e


def _generate(tmp_path, env, out, **popen):
    cfg = tmp_path / "small.yaml"
    cfg.write_text(SMALL)
    cmd = [sys.executable, "-m", "roboinstruct", "generate", "--config", str(cfg), "--out", str(out)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **popen)


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_generate_killed_mid_stage_resumes_to_a_verified_dataset(tmp_path, env):
    out = tmp_path / "run"
    p = _generate(tmp_path, env, out)
    programs = out / "stages" / "programs.jsonl"
    deadline = time.time() + 600
    while time.time() < deadline and not _lines(programs) and p.poll() is None:
        time.sleep(0.2)
    assert p.poll() is None, "the run finished before it could be killed mid-stage"
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    before = {f: _lines(out / "stages" / f) for f in ("instructions.jsonl", "programs.jsonl")}
    assert before["programs.jsonl"]
    p2 = _generate(tmp_path, env, out)
    _, stderr = p2.communicate(timeout=900)
    assert p2.returncode == 0, stderr[-2000:]
    for f, old in before.items():
        new = _lines(out / "stages" / f)
        complete_old = [x for x in old if x.endswith("}")]
        assert new[: len(complete_old)] == complete_old  # nothing lost, nothing rewritten
        keys = [tuple(json.loads(x)[k] for k in (("round", "index") if f.startswith("instr") else ("id", "attempt")))
                for x in new]
        assert len(keys) == len(set(keys))  # nothing duplicated
    # and the resumed run is a complete, verified dataset
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["stats"]["pairs"] == len(_lines(out / "dataset.jsonl"))
    assert manifest["stats"]["instructions_generated"] >= 2
    from roboinstruct.verify import verify

    for row in map(json.loads, _lines(out / "dataset.jsonl")):
        assert row["verdict"]["valid"]
        assert verify(row["program"], seed=manifest["config"]["seed"], paths=200).valid
    assert (out / "report.html").exists() and (out / "README.md").exists() and (out / "dataset.parquet").exists()
