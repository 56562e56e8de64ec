"""Program-first generation (--origin programs): propose, verify, describe, keep — records the
rest of the pipeline reads unchanged, every drop with its reason, resumable."""

from __future__ import annotations

import json

import pytest
from fake_model import FakeBackend, run_generation

from roboinstruct.errors import UserError
from roboinstruct.pipeline.backtranslate import parse_description
from roboinstruct.pipeline.config import GenerateConfig


def _run(tmp_path, backend=None, **kw):
    cfg = GenerateConfig(num=3, out=str(tmp_path / "run"), batch=4, max_rounds=6, workers=1, decontaminate=[],
                         paths=200, origin="programs", dedup_threshold=0.95, **kw).validate()
    return run_generation(cfg, backend or FakeBackend())


def test_pairs_start_from_verified_programs(tmp_path):
    run, manifest, _ = _run(tmp_path)
    rows = [json.loads(x) for x in (tmp_path / "run" / "dataset.jsonl").read_text().splitlines()]
    assert len(rows) == 3 == manifest["stats"]["pairs"]
    assert all("apple" in r["program"] for r in rows) and rows[1]["instruction"].endswith("room 4.")
    assert rows[0]["instruction"] == "Go to the kitchen and, if there is an apple, bring it to the living room."
    reasons = manifest["stats"]["instructions_dropped"]
    # each way a proposal can fail is recorded with its reason
    assert reasons.get("program:RobotExecutionError", 0) >= 1  # placing dinner it does not hold
    assert reasons.get("rule:found-elsewhere", 0) >= 1          # the mug found in one room, picked in another
    assert reasons.get("gate:describes-code", 0) >= 1           # "The program looks for ..."
    assert not list(run.aligned)  # no InstAlign: the instruction was written from the program


def test_a_resumed_run_asks_the_model_nothing_new(tmp_path):
    _, first, backend = _run(tmp_path)
    calls = backend.calls
    assert calls > 0
    _, again, backend2 = _run(tmp_path)
    assert backend2.calls == 0 and again["stats"]["pairs"] == first["stats"]["pairs"]


def test_reference_check_keeps_what_rules_would_refuse(tmp_path):
    _, manifest, _ = _run(tmp_path, check="reference")
    assert "rule:found-elsewhere" not in manifest["stats"]["instructions_dropped"]


def test_origin_is_in_the_fingerprint_only_when_used():
    base = GenerateConfig(origin="instructions")
    assert "origin" not in base.fingerprinted()
    pf = GenerateConfig(origin="programs")
    assert pf.fingerprinted()["origin"] == "programs" and "program_first_text" in pf.fingerprinted()
    assert pf.fingerprint() != base.fingerprint()


def test_origin_programs_refuses_settings_it_cannot_honour():
    with pytest.raises(UserError, match="--origin programs"):
        GenerateConfig(origin="programs", agreement=3).validate()
    with pytest.raises(UserError, match="--origin programs"):
        GenerateConfig(origin="programs", mode="self-instruct").validate()


def test_parse_description():
    assert parse_description('{"analysis": "x", "instruction": "Bring the apple to the kitchen."}') == \
        "Bring the apple to the kitchen."
    assert parse_description("not json") is None
