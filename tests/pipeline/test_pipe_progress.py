"""The progress a run reports is honest: run-wide, monotone, finished only once records are written."""

from __future__ import annotations

import json

from fake_model import FakeBackend

from roboinstruct.pipeline.config import GenerateConfig
from roboinstruct.pipeline.progress import PAIRS, ROUNDS, StageProgress
from roboinstruct.pipeline.run import GenerationRun


def _records(path, **match):
    if not path.exists():
        return []
    rows = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


def test_a_runs_progress_events_are_monotone_and_end_at_the_records(tmp_path):
    out = tmp_path / "run"
    events, at_finish = [], []

    def sink(stage, done, total):
        events.append((stage, done, total))
        if stage.startswith("programs (attempt") and done == total:  # shown finished: are the records there?
            k = int(stage.split()[-1].rstrip(")"))
            at_finish.append((done, len(_records(out / "stages" / "programs.jsonl", attempt=k))))

    cfg = GenerateConfig(origin="instructions", num=6, out=str(out), batch=4, max_rounds=8, workers=1, decontaminate=[], paths=200,
                         max_resamples=1).validate()
    run = GenerationRun(cfg, backend_factory=lambda c: FakeBackend(), progress=sink)
    try:
        manifest = run.run()
    finally:
        run.close()
    by_stage: dict[str, list] = {}
    for stage, done, total in events:
        by_stage.setdefault(stage, []).append((done, total))
    for stage, seq in by_stage.items():
        assert all(0 <= d <= t for d, t in seq), stage
        assert [d for d, _ in seq] == sorted(d for d, _ in seq), f"{stage} went backwards: {seq}"
        assert [t for _, t in seq] == sorted(t for _, t in seq), f"{stage} total shrank: {seq}"
        if stage not in (PAIRS, ROUNDS):
            assert seq[-1][0] == seq[-1][1], f"{stage} never finished: {seq}"
    # finished == every record of that attempt is on disk
    assert at_finish and all(done == on_disk for done, on_disk in at_finish)
    attempts0 = _records(out / "stages" / "programs.jsonl", attempt=0)
    assert by_stage["programs (attempt 0)"][-1][0] == len(attempts0)
    # the instruction stage counts requests over every round (rounds restart nothing)
    assert len(by_stage["instructions"]) >= 2
    assert by_stage[PAIRS][-1] == (manifest["stats"]["pairs"], 6)
    # short of --num only when the round budget is spent, and the rounds line says so
    used = len({r["round"] for r in _records(out / "stages" / "instructions.jsonl")})
    assert by_stage[ROUNDS][-1] == (used, cfg.rounds)
    assert manifest["stats"]["pairs"] == 6 or used == cfg.rounds


def test_a_stage_is_held_short_of_done_until_settled():
    seen = []
    meter = StageProgress(lambda *e: seen.append(e))
    tick = meter.start("verify", 3)
    for d in (1, 2, 3):
        tick(d, 3)
    assert seen[-1] == ("verify", 2, 3)  # answered, records not written
    meter.settle("verify")
    assert seen[-1] == ("verify", 3, 3)
    tick = meter.start("verify", 2)  # a second round adds to the same stage
    assert seen[-1] == ("verify", 3, 5)
    tick(2, 2)
    meter.settle("verify")
    assert seen[-1] == ("verify", 5, 5)


def test_a_stage_that_works_in_groups_shows_its_whole_total_from_the_start():
    seen = []
    meter = StageProgress(lambda *e: seen.append(e))
    meter.expect("instalign (revise)", 5)  # 5 pairs to align, in groups of 2
    assert seen[-1] == ("instalign (revise)", 0, 5)
    for n in (2, 2, 1):
        tick = meter.start("instalign (revise)", n)
        tick(n, n)
        meter.settle("instalign (revise)")
        assert seen[-1][2] == 5  # never the group's own total
    assert seen[-1] == ("instalign (revise)", 5, 5)
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)


def test_instalign_reports_the_runs_total_before_its_first_group(tmp_path):
    events = []
    cfg = GenerateConfig(origin="instructions", num=4, out=str(tmp_path / "run"), batch=4, max_rounds=6, workers=1, decontaminate=[],
                         paths=200, max_resamples=1, mode="robo-instruct").validate()
    run = GenerationRun(cfg, backend_factory=lambda c: FakeBackend(), progress=lambda *e: events.append(e))
    try:
        manifest = run.run()
    finally:
        run.close()
    revise = [(d, t) for s, d, t in events if s == "instalign (revise)"]
    aligned = len(_records(tmp_path / "run" / "stages" / "instalign.jsonl"))
    assert revise and aligned and revise[0] == (0, aligned) and revise[-1] == (aligned, aligned)
    assert manifest["stats"]["pairs"] >= 1
