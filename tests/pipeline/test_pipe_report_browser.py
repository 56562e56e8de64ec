"""The run report as a user sees it: opened in a real headless browser, its scripts run.
It must show every pair, InstAlign's rewrites as diffs and each rejected program with its
counterexample, searchable in the page, and stay small and fast at thousands of pairs."""

import json
import re
import shutil
import time

from browser import dump_dom, screenshot
from fake_model import FakeBackend

from roboinstruct.pipeline.config import GenerateConfig
from roboinstruct.pipeline.report import write_report
from roboinstruct.pipeline.run import GenerationRun


def _make_run(tmp_path):
    cfg = GenerateConfig(origin="instructions", num=5, out=str(tmp_path / "run"), batch=4, max_rounds=6, workers=2, decontaminate=[],
                         paths=200).validate()
    r = GenerationRun(cfg, backend_factory=lambda c: FakeBackend())
    try:
        r.run()
    finally:
        r.close()
    return tmp_path / "run"


def _section(dom: str, title: str) -> str:
    start = dom.index(f"<h2>{title}</h2>")
    end = dom.find("<h2>", start + 5)
    return dom[start:end if end > 0 else None]


def test_report_shows_pairs_diffs_and_counterexamples_in_a_browser(tmp_path):
    run = _make_run(tmp_path)
    rows = [json.loads(x) for x in (run / "dataset.jsonl").read_text().splitlines()]
    dom = dump_dom((run / "report.html").as_uri())
    pairs = _section(dom, "Pairs")
    assert pairs.count("<tr>") == len(rows) + 1  # header + one row per pair, drawn by the page's script
    assert all(r["program"].splitlines()[1].strip() in pairs for r in rows)
    diffs = _section(dom, "InstAlign: original → revised instruction")
    assert "<del>" in diffs or "<ins>" in diffs
    rejected = _section(dom, "Rejected programs and their counterexamples")
    assert "charger" in rejected and "call: line" in rejected and "RobotExecutionError" in rejected
    png = screenshot((run / "report.html").as_uri(), str(tmp_path / "report.png"))
    shutil.copy(png, tmp_path / "report-copy.png")


def test_search_in_the_address_filters_rows(tmp_path):
    run = _make_run(tmp_path)
    dom = dump_dom((run / "report.html").as_uri() + "#q=charger")
    pairs = _section(dom, "Pairs")
    shown = pairs.count("<tr>") - 1
    assert shown >= 1 and all("charger" in row.lower() for row in re.findall(r"<tr>(.*?)</tr>", pairs)[1:])
    assert re.search(r"\d+ of \d+ rows", pairs)


def test_five_thousand_pairs_stay_one_fast_page(tmp_path):
    run = _make_run(tmp_path)
    row = json.loads((run / "dataset.jsonl").read_text().splitlines()[0])
    many = [{**row, "id": f"x{i}", "instruction": f"{row['instruction']} #{i}"} for i in range(5000)]
    (run / "dataset.jsonl").write_text("".join(json.dumps(r) + "\n" for r in many))
    t0 = time.perf_counter()
    html = write_report(run).read_text()
    assert time.perf_counter() - t0 < 30
    assert len(html) < 15 * 5000 * 100  # the data once, as JSON: no per-row markup duplication
    dom = dump_dom((run / "report.html").as_uri())
    pairs = _section(dom, "Pairs")
    assert pairs.count("<tr>") == 25 + 1 and "5000 of 5000 rows" in pairs  # one page drawn, all searchable


def test_report_fits_1280_pixels_with_no_clipped_column(tmp_path):
    from browser import layout

    run = _make_run(tmp_path)
    # a long instruction, a wide program line and a long verdict: they must wrap, not widen the table
    rows = [json.loads(x) for x in (run / "dataset.jsonl").read_text().splitlines()]
    rows[0]["instruction"] = "Go to every office on the third floor and " * 8
    rows[0]["program"] = "def task_program():\n    say('" + "x" * 300 + "')\n"
    (run / "dataset.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    write_report(run)
    geo = layout(str(run / "report.html"), width=1280)
    assert geo["width"] <= 1280 and geo["problems"] == []
    robosim = geo["headers"]["Pairs/RoboSim"]
    assert robosim[1] <= geo["width"]  # the verdict column is on screen
    dom = dump_dom((run / "report.html").as_uri())
    assert '{"location"' not in dom and "Distinct names in the programs, by kind" in dom
