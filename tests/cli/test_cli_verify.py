"""`roboinstruct verify` end to end: single file, JSONL batch with resume, bad input."""

import json
import subprocess
import sys

from roboinstruct.cli import main

GOOD = 'def task_program():\n    go_to("kitchen")\n'
BAD = 'def task_program():\n    go_to("kitchen")\n    place("cup")\n'


def test_single_file_prints_numbered_trace(tmp_path, capsys):
    f = tmp_path / "p.py"
    f.write_text(BAD)
    assert main(["verify", str(f)]) == 0
    out = capsys.readouterr().out
    assert "invalid: RobotExecutionError at line 3" in out
    assert "1. line 2: go_to('kitchen')" in out and "2. line 3: place('cup')" in out


def test_single_file_json(tmp_path, capsys):
    f = tmp_path / "p.py"
    f.write_text(GOOD)
    assert main(["verify", "--json", str(f)]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True


def test_jsonl_batch_keeps_fields_and_resumes(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [{"id": i, "program": GOOD if i % 2 else BAD, "task": f"t{i}"} for i in range(6)]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    # a previous run was killed after two rows, mid-way through writing a third
    done = [{**rows[0], "verdict": {"valid": False}}, {**rows[1], "verdict": {"valid": True}}]
    out.write_text("".join(json.dumps(r) + "\n" for r in done) + '{"id": 2, "prog')
    assert main(["verify", "--jsonl", str(src), "--out", str(out), "--workers", "1", "--paths", "20"]) == 0
    lines = out.read_text().splitlines()
    got = [json.loads(ln) for ln in lines if ln.startswith("{") and ln.endswith("}")]
    assert sorted(r["id"] for r in got) == list(range(6))  # nothing lost, nothing duplicated
    fresh = {r["id"]: r for r in got[2:]}
    assert fresh[3]["verdict"]["valid"] and not fresh[4]["verdict"]["valid"]
    assert fresh[4]["task"] == "t4" and fresh[4]["verdict"]["error_kind"] == "RobotExecutionError"
    assert fresh[4]["verdict"]["counterexample"]["trace"]
    html = (tmp_path / "out.html").read_text()
    assert "<svg" in html and "RobotExecutionError" in html and "<table>" in html
    # running again does nothing new
    assert main(["verify", "--jsonl", str(src), "--out", str(out)]) == 0
    assert out.read_text().splitlines() == lines


def test_bad_jsonl_is_one_clear_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "program": "x"}\nnot json\n')
    r = subprocess.run([sys.executable, "-m", "roboinstruct", "verify", "--jsonl", str(src), "--out",
                        str(tmp_path / "o.jsonl")], capture_output=True, text=True)
    assert r.returncode == 2
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and "in.jsonl:2: not valid JSON" in err[0]


def test_missing_program_field_and_missing_file(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "code": "x"}\n')
    assert main(["verify", "--jsonl", str(src), "--out", str(tmp_path / "o")]) == 2
    assert "needs a string field 'program'" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "nope.py")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_examples_main_job(capsys):
    assert main(["verify", "--examples", "--workers", "2"]) == 0
    assert "9 of 9 examples got the expected verdict" in capsys.readouterr().out


def test_domains_command(capsys):
    assert main(["domains"]) == 0
    assert "service_robot" in capsys.readouterr().out
    assert main(["domains", "service_robot"]) == 0
    assert "def ask(person: str, question: str, options: list[str]) -> str:" in capsys.readouterr().out
