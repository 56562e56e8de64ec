"""`roboinstruct tabletop generate --backend openai` end to end against a loopback
OpenAI-compatible server: structured-output requests, validation, critic, library, outputs."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from roboinstruct.cli import main

pytest.importorskip("pybullet")
TESTS = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("faultserver_for_gensim", TESTS / "llm" / "faultserver.py")
faultserver = importlib.util.module_from_spec(spec)
spec.loader.exec_module(faultserver)
STACK = (TESTS / "tabletop" / "fake_gensim" / "cliport" / "tasks" / "stack_three_blocks.py").read_text()


def test_generate_against_an_openai_compatible_server(tmp_path, monkeypatch):
    monkeypatch.setenv("ROBOINSTRUCT_CACHE_DIR", str(tmp_path / "cache"))
    proposal = {"name": "tower-of-three", "description": "Stack three same-coloured blocks into one tower on a "
                                                         "corner marking.", "assets": ["stacking/block.urdf"]}
    with faultserver.FaultServer() as srv:
        srv.script = [("text", json.dumps(proposal)), ("text", f"```python\n{STACK}```"),
                      ("text", json.dumps({"reason": "matches the description", "accept": True}))]
        code = main(["tabletop", "generate", "--backend", "openai", "--base-url", srv.url, "--model", "m",
                     "--trials", "1", "--seeds", "3", "--out", str(tmp_path / "run")])
        bodies = [r["body"] for r in srv.requests]
    assert code == 0
    assert len(bodies) == 3 and "response_format" in bodies[0] and "response_format" in bodies[2]
    assert "response_format" not in bodies[1]  # code is free text; proposals and verdicts are JSON
    assert "self.add_goal(" in bodies[1]["messages"][1]["content"]  # the API reference reached the model
    lib = [json.loads(x) for x in (tmp_path / "run" / "library.jsonl").read_text().splitlines()]
    assert [r["name"] for r in lib] == ["tower-of-three"]
    assert lib[0]["assets"] == ["corner/corner-template.urdf", "stacking/block.urdf"]
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["stats"]["accepted"]["k"] == 1 and (tmp_path / "run" / "report.html").is_file()
