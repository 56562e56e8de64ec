"""experiments/gensim_conformance.py: `--retable` rebuilds the report from results.json with the
pictures of the report written before (no re-rendering), and a results row round-trips to a verdict."""

from __future__ import annotations

from roboinstruct.tabletop.validate import conformance
from roboinstruct.tabletop.validate.verdict import TaskVerdict

from experiment_scripts import load_script


def _script():
    return load_script('gensim_conformance')


S = _script()


def test_rows_round_trip_and_old_pictures_are_reused(tmp_path):
    vs = [TaskVerdict("g/a.py", "pass", None, "", task="A", code_hash="h1", passed=8, seeds=8,
                      gensim_verdict={"status": "pass", "stage": None, "reason": "", "passed": 8, "seeds": 8}),
          TaskVerdict("g/b.py", "fail", "rewards", "goal rewards sum to 0.5, not 1", task="B", code_hash="h2", seeds=8,
                      gensim_verdict={"status": "pass", "stage": None, "reason": "", "passed": 8, "seeds": 8}),
          TaskVerdict("t/c.py", "fail", "sandbox", "import from 'x' is not allowed", code_hash="h3")]
    rows = [S.row(v) for v in vs]
    again = [S.verdict_of(r) for r in rows]
    assert [(v.file, v.status, v.stage, v.passed, (v.gensim_verdict or {}).get("status")) for v in again] == \
        [("g/a.py", "pass", None, 8, "pass"), ("g/b.py", "fail", "rewards", 0, "pass"), ("t/c.py", "fail", "sandbox", 0, None)]
    pics = [{"image": b"\xff\xd8one", "ok": True, "stage": None}, {"image": b"\xff\xd8two", "ok": False, "stage": "oracle"},
            {"image": None, "message": "not run: failed the static check"}]
    conformance.report(vs, pics).write(tmp_path / "report.html")
    old = S.old_pictures(tmp_path / "report.html", rows)
    assert [p["image"] for p in old] == [b"\xff\xd8one", b"\xff\xd8two", None]
    assert old[0]["ok"] and not old[1]["ok"] and old[2]["message"] == "not run: failed the static check"
    S.write_report(tmp_path, again, old, None, [], {"checkout": "x"})
    assert S.old_pictures(tmp_path / "report.html", rows)[1]["image"] == b"\xff\xd8two"
