"""`roboinstruct evaluate` end to end: workers, row format, resume, report, bad input."""

from __future__ import annotations

import json

from roboinstruct.benchmark import load_tasks
from roboinstruct.cli import main


def _rows():
    suite = load_tasks("builtin")
    rows = []
    for i, (name, t) in enumerate(list(suite.items())[:3]):
        rows.append({"id": f"{name}-ref", "task": name, "prompt_index": i, "program": t.reference, "model": "m"})
        rows.append({"id": f"{name}-bad", "task": name, "prompt_index": i, "program": next(iter(t.wrong.values()))})
    rows.append({"id": "junk", "task": name, "prompt_index": 0, "program": "I cannot write code"})
    return rows


def test_evaluate_end_to_end_and_resume(tmp_path, capsys):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = _rows()
    src.write_text("\n".join(json.dumps(r) for r in rows[:4]) + "\n")
    assert main(["evaluate", "--programs", str(src), "--out", str(out), "--workers", "2"]) == 0
    first = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(first) == 4
    ref = next(r for r in first if r["id"].endswith("-ref"))
    assert ref["verdict"] == "Success" and ref["model"] == "m"
    assert all(set(s) >= {"sat", "kind", "trace"} for s in ref["states"])
    assert ref["states"][0]["trace"][0].startswith("GoTo /$@!/ ")
    printed = capsys.readouterr().out
    assert "pass@1" in printed and "overall" in printed
    assert (tmp_path / "out.html").read_text().count("<table>") >= 2
    # resume: a torn last line is redone, finished rows are not
    out.write_text(out.read_text() + '{"id": "torn", "verd')
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert main(["evaluate", "--programs", str(src), "--out", str(out), "--report", str(tmp_path / "r.html")]) == 0
    done = [json.loads(x) for x in out.read_text().splitlines() if x.startswith("{") and x.endswith("}")]
    assert sorted(r["id"] for r in done) == sorted(r["id"] for r in rows)
    assert next(r for r in done if r["id"] == "junk")["verdict"] == "PythonError"
    assert (tmp_path / "r.html").exists()


def test_bad_input_is_one_line_exit_2(tmp_path, capsys):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    cases = ['{"task": "Nope", "program": "x"}', '{"program": "x"}', "not json",
             '{"task": "FindStapler", "prompt_index": 9, "program": "x"}']
    for line in cases:
        src.write_text(line + "\n")
        assert main(["evaluate", "--programs", str(src), "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("roboinstruct evaluate: error:") and "\n" not in err
    assert main(["evaluate", "--tasks", "roboeval:/no/such/dir", "--programs", str(src), "--out", str(out)]) == 2
    assert main(["evaluate", "--programs", str(tmp_path / "missing.jsonl"), "--out", str(out)]) == 2
