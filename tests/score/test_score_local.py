"""Scoring a real model (embedded llama.cpp, 0.5B) on a 2-task slice: results, report, resume."""

from __future__ import annotations

import json
import re

from roboinstruct.cli import main

ARGS = ["--model", "local:qwen2.5-coder-0.5b", "--limit", "2", "--prompts", "1", "--greedy", "--max-tokens", "160",
        "--workers", "1"]


def test_score_two_tasks_then_resume(small_model, tmp_path, capsys):
    out = tmp_path / "score"
    assert main(["score", *ARGS, "--out", str(out)]) == 0
    first = capsys.readouterr()
    assert "generating 2 of 2 prompts" in first.err
    # log lines (not bars) with elapsed time, so a run in a log file shows it moves
    assert re.search(r"^\[0:\d\d:\d\d\] generating 2 of 2 prompts", first.err, re.M)
    assert re.search(r"2/2 prompts \(\d+s for the last 2\)", first.err)
    results = json.loads((out / "results.json").read_text())
    assert results["kind"] == "roboinstruct.score"
    assert results["tasks"]["names"] == ["BoxInventory", "ChefAndWaiter"] and results["programs"] == 2
    assert set(results["per_task"]) == {"BoxInventory", "ChefAndWaiter"}
    assert len(results["per_prompt"]) == 2 and 0.0 <= results["pass@1"] <= 1.0
    assert sum(results["breakdown"].values()) == 2 and 0.0 <= results["invalid_rate"] <= 1.0
    assert results["config"]["greedy"] and results["config"]["temperature"] == 0.0
    assert results["model"]["identity"] == f"gguf-sha256:{small_model.sha256}"
    assert "transformers" in results["versions"] or "roboinstruct" in results["versions"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["fingerprint"] == results["fingerprint"] and set(manifest["files"]) >= {"results.json",
                                                                                            "completions.jsonl"}
    html = (out / "report.html").read_text()
    assert "pass@1 per task" in html and "Error breakdown" in html and "<svg" in html

    # A re-run generates and evaluates nothing: the completions and verdicts are on disk.
    completions, written = (out / "completions.jsonl").read_text(), (out / "results.json").read_text()
    assert main(["score", *ARGS, "--out", str(out)]) == 0
    again = capsys.readouterr()
    assert "generating" not in again.err and "evaluating" not in again.err
    assert (out / "completions.jsonl").read_text() == completions
    # and leaves the finished results as the run wrote them (not its own 0 seconds and date)
    assert (out / "results.json").read_text() == written

    # Other settings into the same directory are refused in one line.
    assert main(["score", *ARGS[:-2], "--max-tokens", "99", "--out", str(out)]) == 2
    assert "holds score run" in capsys.readouterr().err


def test_resume_after_a_torn_write(small_model, tmp_path, capsys):
    """A kill mid-write leaves a torn last line: that prompt is redone, the rest are kept."""
    out = tmp_path / "score"
    args = ["score", *ARGS[:3], "1", *ARGS[4:], "--out", str(out)]  # one task
    assert main(args) == 0
    path = out / "completions.jsonl"
    row = json.loads(path.read_text())
    path.write_text(json.dumps(row)[:40])  # torn
    (out / "evaluated.jsonl").unlink()
    capsys.readouterr()
    assert main(args) == 0
    assert "generating 1 of 1 prompts" in capsys.readouterr().err
    lines = [json.loads(x) for x in path.read_text().splitlines() if x.strip().startswith("{") and x.endswith("}")]
    assert [r["key"] for r in lines if "samples" in r] == ["BoxInventory/0"]
