"""The second domain end to end for real: `generate` on the drone's YAML and seeds with the
embedded 0.5B model under the strict check, then `audit` of its dataset keeps every pair generate
kept (one code path), and the run's own records show the drone's gates at work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = """
num: 3
batch: 4
max_rounds: 4
model: qwen2.5-coder-0.5b
max_resamples: 2
paths: 200
max_tokens_instruction: 60
max_tokens_program: 240
max_tokens_instalign: 200
max_tokens_select: 100
workers: 1
"""


def test_drone_generate_then_audit_agree(tmp_path):
    if os.environ.get("ROBOINSTRUCT_SKIP_MODEL_TESTS") == "1":
        pytest.skip("ROBOINSTRUCT_SKIP_MODEL_TESTS=1: model-backed tests skipped")
    env = {**os.environ, "ROBOINSTRUCT_CACHE_DIR": str(tmp_path / "cache")}
    (tmp_path / "small.yaml").write_text(SMALL)
    out = tmp_path / "run"
    run = subprocess.run([sys.executable, "-m", "roboinstruct", "generate", "--config", str(tmp_path / "small.yaml"),
                          "--domain", str(EXAMPLES / "drone.yaml"), "--seeds-file", str(EXAMPLES / "drone_seeds.yaml"),
                          "--out", str(out)], env=env, capture_output=True, text=True, timeout=1500)
    assert run.returncode == 0, run.stderr[-2000:]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["check"] == "strict" and manifest["domain"]["name"] == "delivery_drone"
    rows = [json.loads(x) for x in (out / "dataset.jsonl").read_text().splitlines()]
    attempts = [json.loads(x) for x in (out / "stages" / "programs.jsonl").read_text().splitlines()]
    assert attempts and all(a["verdict"].get("check") == "strict" for a in attempts)
    if not rows:
        pytest.fail(f"no pair survived: {manifest['stats']['instructions_dropped']} "
                    f"{manifest['stats']['rejected_by_error_kind']}")
    # no --domain: audit reads the run's own domain from its manifest
    audit = subprocess.run([sys.executable, "-m", "roboinstruct", "audit", str(out), "--json", "--workers", "1"], env=env, capture_output=True, text=True,
                           timeout=600)
    assert audit.returncode == 0, audit.stderr[-2000:]
    verdicts = [json.loads(x) for x in audit.stdout.splitlines()]
    assert [v["id"] for v in verdicts] == [r["id"] for r in rows]
    assert all(v["keep"] for v in verdicts), [v for v in verdicts if not v["keep"]]
