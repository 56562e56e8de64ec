"""`--num N` means N: instructions that end without a pair are replaced by new ones while the
round budget lasts, decided from records alone (a killed run resumes onto the same window)."""

from __future__ import annotations

import json

from fake_model import FakeBackend

from roboinstruct.pipeline.config import GenerateConfig
from roboinstruct.pipeline.run import GenerationRun


def _run(tmp_path, name="run", **kw):
    cfg = GenerateConfig(origin="instructions", num=6, out=str(tmp_path / name), batch=4, max_rounds=8, workers=1, decontaminate=[],
                         paths=200, max_resamples=1, check="reference", prompts=2, **kw).validate()
    r = GenerationRun(cfg, backend_factory=lambda c: FakeBackend())
    try:
        manifest = r.run()
    finally:
        r.close()
    return r, manifest


def test_num_means_num_when_some_instructions_are_unsolvable(tmp_path):
    # the fake's garage task never gets a valid program: without top-up the run ends short
    short, m_short = _run(tmp_path, "short", top_up=False)
    lost = [r for r in short.kept_instructions() if short._pair_of(r) is None]
    assert lost and m_short["stats"]["pairs"] < 6
    full, m_full = _run(tmp_path, "full")
    assert m_full["stats"]["pairs"] == 6 and full.target() == 6 + len(
        [r for r in full.kept_instructions() if full._pair_of(r) is None])
    # the same records give the same window: a resumed run (no new requests) decides the same
    again, m_again = _run(tmp_path, "full")
    assert again.target() == full.target() and m_again["stats"]["pairs"] == 6
    rows = [json.loads(x) for x in (tmp_path / "full" / "dataset.jsonl").read_text().splitlines()]
    assert len(rows) == 6


def test_top_up_off_keeps_old_fingerprints():
    assert "top_up" not in GenerateConfig(check="reference", prompts=2, top_up=False).fingerprinted()
    assert GenerateConfig(check="reference", prompts=2, top_up=False).fingerprint() == "68318e6e4a0a"


def test_the_loop_runs_until_a_pass_adds_nothing(tmp_path, monkeypatch):
    # A pass can keep the target where it was and still end short of it (a fresh --num 100 stopped at
    # 99 with 36 rounds of budget left): the run must go on while passes add records, and stop when one
    # adds none.
    cfg = GenerateConfig(origin="instructions", num=3, out=str(tmp_path / "run"), batch=4, max_rounds=8, workers=1,
                         decontaminate=[], paths=200, max_resamples=1, check="reference", prompts=2).validate()
    run = GenerationRun(cfg, backend_factory=lambda c: FakeBackend())
    passes = []

    def one_kept_per_pass():
        passes.append(len(passes))
        if len(passes) <= 3:
            run.instr.append({"round": len(passes) - 1, "index": 0, "id": f"r{len(passes) - 1:03d}i00",
                              "instruction": f"Go to room {len(passes)}.", "kept": True, "reason": "kept"})

    monkeypatch.setattr(run, "target", lambda: 3)  # unchanged by every pass
    monkeypatch.setattr(run, "stage_instructions", one_kept_per_pass)
    monkeypatch.setattr(run, "stage_programs", lambda: None)
    monkeypatch.setattr(run, "stage_instalign", lambda: None)
    try:
        run.run()
    finally:
        run.close()
    assert len(passes) == 4  # three passes that each kept one, then one that added nothing
    assert len(run._all_kept()) == 3
