"""`roboinstruct tabletop validate --gensim PATH --report out.html` on a few real files of the shared
GenSim checkout (GENSIM_CHECKOUT, default ../shared/gensim): the page holds both verdicts, the stage,
the reason and a start/end picture per file (rendered in sandbox workers); and the report's parts."""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

from roboinstruct.cli import main as cli_main
from roboinstruct.tabletop.validate import conformance
from roboinstruct.tabletop.validate.verdict import TaskVerdict

CHECKOUT = Path(os.environ.get("GENSIM_CHECKOUT", Path(__file__).resolve().parents[4] / "shared" / "gensim"))
REAL = {  # file -> (strict, GenSim's rule) as the committed conformance results have them
    "cliport/generated_tasks/align_cylinder_in_zone.py": ("pass", "pass"),
    "cliport/generated_tasks/nested_boxes.py": ("fail", "pass"),
    "cliport/tasks/place_red_in_green.py": ("pass", "pass"),
}


def _rows(page: str, title: str) -> list[list]:
    """The rows of the page's browsable table `title` (its data travels as JSON in the page)."""
    at = page.index(f"<h2>{title}</h2>")
    m = re.compile(r"<script type='application/json' id='(dt\d+)-data'>(.*?)</script>", re.S).search(page, at)
    return json.loads(m.group(2).replace("<\\/", "</"))["rows"]


def test_report_on_real_gensim_files_holds_both_verdicts_and_a_picture_per_file(tmp_path, capsys):
    mini = tmp_path / "gensim"  # a checkout of three real files: their copies and the checkout's assets
    for rel in REAL:
        (mini / rel).parent.mkdir(parents=True, exist_ok=True)
        (mini / rel).write_text((CHECKOUT / rel).read_text())
    (mini / "cliport/environments").mkdir(parents=True)
    (mini / "cliport/environments/assets").symlink_to(CHECKOUT / "cliport/environments/assets")
    out = tmp_path / "report.html"
    code = cli_main(["tabletop", "validate", "--gensim", str(mini), "--seeds", "4", "--workers", "1",
                     "--report", str(out), "--progress", "none"])
    assert code == 1  # nested_boxes fails the strict verdict
    page = out.read_text()
    assert "strict verdict" in page and "GenSim&#x27;s rule" in page
    rows = {r[0]: r for r in _rows(page, "Files")}
    assert set(rows) == set(REAL)
    for file, (strict, rule) in REAL.items():
        row = rows[file]
        assert row[1].startswith(strict) and row[2].startswith(rule), row[:3]
        picture = row[-1]
        assert isinstance(picture, dict) and picture["img"].startswith("data:image/jpeg;base64,"), file
        jpeg = base64.b64decode(picture["img"].split(",", 1)[1])
        assert jpeg[:2] == b"\xff\xd8" and 1500 < len(jpeg) < 40_000
    assert rows["cliport/generated_tasks/nested_boxes.py"][3] == "oracle"  # the strict stage, and why
    assert "layer above" in rows["cliport/generated_tasks/nested_boxes.py"][4]
    assert "Strict verdict: files by reason" in page and "GenSim&#x27;s rule: files by reason" in page


def test_report_without_pictures_names_why_and_counts_reasons():
    vs = [TaskVerdict("a.py", "pass", None, "", passed=4, seeds=4, gensim_verdict={"status": "pass", "passed": 4, "seeds": 4}),
          TaskVerdict("b.py", "fail", "rewards", "goal rewards sum to 0.5, not 1 (x)", passed=0, seeds=4,
                      gensim_verdict={"status": "pass", "stage": None, "reason": "", "passed": 4, "seeds": 4}),
          TaskVerdict("c.py", "fail", "sandbox", "line 1: import from 'x' is not allowed")]
    pics = [{"image": b"\xff\xd8fake", "ok": True, "stage": None}, {"image": None, "message": "worker died"},
            {"image": None, "message": "not run: failed the static check"}]
    page = conformance.report(vs, pics).render()
    rows = _rows(page, "Files")
    assert rows[0][-1]["img"] == "data:image/jpeg;base64," + base64.b64encode(b"\xff\xd8fake").decode()
    assert rows[1][-1] == "no picture: worker died" and rows[2][2] == "not judged"
    assert "<td>rewards: goal rewards sum to N, not N (…)</td>" in page
    assert "<td>pass</td><td>pass</td><td class='num'>1</td>" in page  # strict × GenSim's rule
    with_env = _rows(conformance.report(vs, pics, column=("GenSim's own env", {"b.py": "rejected"})).render(), "Files")
    assert [r[6] for r in with_env] == ["", "rejected", ""] and with_env[0][-1]["img"].startswith("data:image/jpeg")


def test_picture_requests_skip_static_failures_and_use_the_first_seed():
    from roboinstruct.tabletop.validate.seeds import derive_seeds
    from roboinstruct.tabletop.validate.verdict import Candidate

    cands = [Candidate("a.py", "src-a", "gensim", {"x/y.urdf": {}}), Candidate("c.py", "src-c")]
    vs = [TaskVerdict("a.py", "fail", "oracle", "", code_hash="abc", seeds=4),
          TaskVerdict("c.py", "fail", "sandbox", "", code_hash="def", seeds=4)]
    a, c = conformance.picture_requests(cands, vs, run_seed=7)
    assert c is None
    assert a["seed"] == derive_seeds(7, "abc", 4)[0] and a["format"] == "jpeg"
    assert a["dialect"] == "gensim" and a["assets"] == {"x/y.urdf": {}} and a["source"] == "src-a"


def test_render_replies_are_schema_checked():
    from roboinstruct.tabletop.validate.pictures import check_render

    good = {"image": "AAAA", "ok": True, "stage": None, "reason": "", "actions": 2}
    assert check_render(good) is None
    assert check_render(dict(good, image=123))
    assert check_render(dict(good, ok="yes"))
    assert check_render(dict(good, stage=["x"]))
    assert check_render({"crashed": True, "message": "x"}) is None
