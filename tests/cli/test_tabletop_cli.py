"""`roboinstruct tabletop` through the real entry point (a subprocess, as a user runs it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_errors import roboinstruct

pytest.importorskip("pybullet")
STACK = Path(__file__).parents[1] / "tabletop" / "fake_gensim" / "cliport" / "tasks" / "stack_three_blocks.py"


def test_validate_json_is_byte_identical_and_clean():
    a = roboinstruct("tabletop", "validate", str(STACK), "--seeds", "3", "--json")
    b = roboinstruct("tabletop", "validate", str(STACK), "--seeds", "3", "--json", "--workers", "1")
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout  # no timings, no pybullet banner, worker count does not matter
    (verdict,) = json.loads(a.stdout)
    # two seeds' oracles decide a pass on 3 seeds (τ = 0.5); the third is reported as not run
    assert verdict["status"] == "pass" and (verdict["passed"], verdict["not_run"]) == (2, 1)
    every = roboinstruct("tabletop", "validate", str(STACK), "--seeds", "3", "--json", "--every-oracle")
    (all_seeds,) = json.loads(every.stdout)
    assert all_seeds["status"] == "pass" and (all_seeds["passed"], all_seeds["not_run"]) == (3, 0)


def test_validate_with_the_arm_carrying_the_oracles_objects():
    r = roboinstruct("tabletop", "validate", str(STACK), "--seeds", "2", "--robot", "arm", "--json", "--workers", "1",
                     "--every-oracle")  # both seeds' oracles carried by the arm (early stop would decide on one)
    assert r.returncode == 0, r.stderr
    (verdict,) = json.loads(r.stdout)
    assert verdict["status"] == "pass" and verdict["passed"] == 2
    bad = roboinstruct("tabletop", "validate", str(STACK), "--robot", "ur5")
    assert bad.returncode != 0 and "ur5" in bad.stderr


def test_a_failing_task_exits_1_with_the_stage_in_the_table(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(STACK.read_text().replace("'stacking/block.urdf'", "'stacking/brick.urdf'"))
    r = roboinstruct("tabletop", "validate", str(bad), "--seeds", "2", env_extra={"COLUMNS": "250"})
    assert r.returncode == 1
    assert "assets" in r.stdout and "unknown asset 'stacking/brick.urdf'" in r.stdout
    assert r.stderr.strip().endswith("1 of 1 tasks did not pass")


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".gif", b"GIF8")])
def test_render_writes_a_picture(tmp_path, suffix, magic):
    out = tmp_path / f"stack{suffix}"
    r = roboinstruct("tabletop", "render", str(STACK), "--seed", "1", "--out", str(out), "--height", "80")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:4] == magic and out.stat().st_size > 1000
    assert "goal reached" in r.stdout


@pytest.mark.parametrize("argv, needle", [
    (["tabletop", "validate", "no/such/file.py"], "no such file, folder or library task"),
    (["tabletop", "render", "x", "--out", "x.jpg"], "give a .png or .gif"),
    (["tabletop", "validate", "--seeds", "0", "x"], "--seeds must be at least 1"),
    (["tabletop", "validate", "--gensim", "/"], "GenSim checkout"),
    (["tabletop", "dataset", "--gensim", "/", "--out", "x"], "GenSim checkout"),
    (["tabletop", "dataset", "--gensim", "/", "--out", "x", "--heldout-threshold", "1.5"], "--heldout-threshold must"),
    (["tabletop", "dataset", "--gensim", str(STACK.parents[2]), "--out", str(STACK)], "a file is there"),
])
def test_bad_input_is_one_line(argv, needle):
    r = roboinstruct(*argv)
    assert r.returncode == 2
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_assets_lists_the_catalogue():
    r = roboinstruct("tabletop", "assets", env_extra={"COLUMNS": "250"})
    assert r.returncode == 0 and "stacking/block.urdf" in r.stdout and "unsupported" in r.stdout


def test_demos_logs_progress_lines_outside_a_terminal(tmp_path, capsys):
    # the real verb, the real simulator: one oracle episode, recorded; the log shows it move
    from roboinstruct.cli import main

    out = tmp_path / "demos"
    assert main(["tabletop", "demos", "--task", "put-block-in-bowl", "--episodes", "1", "--workers", "1",
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "recording episodes: 0/1" in err and "recording episodes: 1/1" in err
    assert (out / "summary.json").exists()


def test_progress_lines_in_a_log_and_quiet_silences_them():
    lines = roboinstruct("tabletop", "validate", str(STACK), "--seeds", "2", "--progress", "lines")
    quiet = roboinstruct("tabletop", "validate", str(STACK), "--seeds", "2", "--quiet")
    assert lines.returncode == 0 and quiet.returncode == 0, lines.stderr + quiet.stderr
    assert "validating tasks: 1/1" in lines.stderr + lines.stdout
    assert "validating tasks" not in quiet.stderr + quiet.stdout
    assert "pass" in quiet.stdout  # the verdict table is output, not progress


def test_dataset_writes_a_finetune_dataset_from_a_checkout(tmp_path):
    checkout = STACK.parents[2]
    r = roboinstruct("tabletop", "dataset", "--gensim", str(checkout), "--out", str(tmp_path / "ds"), "--seeds", "2",
                     "--rule", "strict", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "accepted under the strict verdict" in r.stdout and "0 held out" in r.stdout
    rows = [json.loads(line) for line in (tmp_path / "ds" / "dataset.jsonl").read_text().splitlines()]
    manifest = json.loads((tmp_path / "ds" / "manifest.json").read_text())
    assert "stack-three-blocks" in [row["name"] for row in rows] and manifest["rule"] == "strict"
    assert manifest["counts"]["accepted"] == len(rows) < manifest["counts"]["files"]
