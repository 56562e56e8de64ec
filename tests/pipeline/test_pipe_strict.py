"""The strict check inside generate (scripted model, real RoboSim in sandbox workers, real files):
gated instructions never reach the program stage, meaning errors are rejected and resampled with
both verdicts recorded, InstAlign revisions that break a rule keep the original, and agreement
keeps the majority's program."""

from __future__ import annotations

import json

from fake_model import FakeBackend

from roboinstruct.pipeline.config import GenerateConfig
from roboinstruct.pipeline.run import GenerationRun

COOK = "Go to the kitchen and cook a meal for everyone in the building."
ASK = "Ask Sarah in her office whether she wants tea or coffee and tell me her answer."
ASK_AT_START = '''def task_program():
    answer = ask("Sarah", "Do you want tea or coffee?", ["tea", "coffee"])
    say("Sarah wants " + answer)
'''
ASK_GOING = ASK_AT_START.replace("    answer = ask", '    go_to("Sarah\'s office")\n    answer = ask')


class StrictFake(FakeBackend):
    """Instructions: one the robot cannot do, one it can; the first program for the second asks
    Sarah without going to her office (RoboSim valid, meaning wrong), later ones go there."""

    def _answer(self, req):
        last = req.messages[-1]["content"]
        if "new tasks for this robot" in last or "new robot tasks" in last:
            return json.dumps({"tasks": [COOK, ASK, COOK + " Twice.", ASK.replace("tea", "juice")][:4]})
        if "revised_instruction" in last:
            # a revision that names an API function: the gate refuses it, the original stays
            return json.dumps({"analysis": "x", "revised_instruction": "Use the ask function on Sarah."})
        if "Sarah" in last:
            self.sarah = getattr(self, "sarah", 0) + 1
            return "```python\n" + (ASK_AT_START if self.sarah == 1 else ASK_GOING) + "```"
        return super()._answer(req)


def _run(tmp_path, **kw):
    cfg = GenerateConfig(origin="instructions", num=2, out=str(tmp_path / "run"), batch=4, max_rounds=1, workers=1, decontaminate=[],
                         paths=200, **kw).validate()
    fake = StrictFake()
    r = GenerationRun(cfg, backend_factory=lambda c: fake)
    try:
        manifest = r.run()
    finally:
        r.close()
    rows = [json.loads(x) for x in (tmp_path / "run" / "dataset.jsonl").read_text().splitlines()]
    return r, manifest, rows


def test_strict_run_gates_rejects_resamples_and_keeps_the_original(tmp_path):
    r, manifest, rows = _run(tmp_path)
    instr = {x["instruction"]: x for x in r.instr}
    assert instr[COOK]["kept"] is False and instr[COOK]["reason"] == "gate:beyond-api"
    assert instr[ASK]["kept"] is True
    first, second = r.attempts_of(instr[ASK]["id"])[:2]
    assert first["verdict"]["valid"] is False and first["verdict"]["error_kind"] == "MeaningError"
    assert first["verdict"]["rule"] == "ask-presence" and first["verdict"]["reference_valid"] is True
    assert second["verdict"]["valid"] is True and second["verdict"]["check"] == "strict"
    row = next(x for x in rows if x["original_instruction"] == ASK)
    assert row["instruction"] == ASK and "go_to(\"Sarah's office\")" in row["program"]
    assert row["verdict"]["check"] == "strict" and row["verdict"]["reference_valid"] is True
    aligned = r.aligned.get(instr[ASK]["id"])
    assert aligned["choice"] == "original" and aligned["fallback"].startswith("revision fails gate:describes-code")
    s = manifest["stats"]
    assert s["rejected_by_meaning_rule"] == {"ask-presence": 1} and s["instructions_dropped"]["gate:beyond-api"] == 2
    assert s["instalign"]["refused"] >= 1
    html = (tmp_path / "run" / "report.html").read_text()
    assert "Programs rejected by a meaning rule" in html and "MeaningError [ask-presence]" in html


def test_reference_run_is_the_papers_pipeline(tmp_path):
    r, manifest, rows = _run(tmp_path, check="reference", prompts=2)
    instr = {x["instruction"]: x for x in r.instr}
    assert instr[COOK]["kept"] is True  # no gates
    first = r.attempts_of(instr[ASK]["id"])[0]
    assert first["verdict"]["valid"] is True and "check" not in first["verdict"]  # records as they always were
    assert "check" not in json.loads((tmp_path / "run" / "config.json").read_text())["config"]


def test_agreement_keeps_the_majority_and_reports_it(tmp_path):
    r, manifest, rows = _run(tmp_path, agreement=3)
    rec = r.agreed.get(next(x["id"] for x in r.instr if x["instruction"] == ASK))
    assert rec["agreement"]["valid"] == 3 and rec["agreement"]["size"] == 3 and rec["source"] == "chosen"
    row = next(x for x in rows if x["original_instruction"] == ASK)
    assert row["verdict"]["agreement"] == 1.0
    assert manifest["stats"]["agreement"]["instructions"] == len(rows)
