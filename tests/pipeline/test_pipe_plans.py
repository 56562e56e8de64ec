"""Plan-first generation (--origin plans): fill a domain shape, check the fill, sample programs,
keep only programs that make the plan's calls — records the rest of the pipeline reads unchanged."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from fake_model import FakeBackend, run_generation

from roboinstruct.errors import UserError
from roboinstruct.pipeline.config import GenerateConfig
from roboinstruct.pipeline.plans import parse_fill
from roboinstruct.quality.plans import check_coverage, domain_plans
from roboinstruct.domain import load_domain


def _two_shape_domain(tmp_path) -> str:
    """The service robot with two shapes: deliver (the fake covers it) and check-and-report (it does not)."""
    raw = copy.deepcopy(load_domain("service_robot").raw)
    raw["plans"]["shapes"] = [s for s in raw["plans"]["shapes"] if s["name"] in ("deliver", "check-and-report")]
    path = tmp_path / "two_shapes.yaml"
    path.write_text(yaml.safe_dump(raw))
    return str(path)


def _run(tmp_path, **kw):
    cfg = GenerateConfig(num=2, out=str(tmp_path / "run"), batch=4, max_rounds=8, workers=1, decontaminate=[],
                         paths=200, origin="plans", domain=_two_shape_domain(tmp_path), **kw).validate()
    return run_generation(cfg, FakeBackend(bad_first_attempts=0))


def test_pairs_keep_only_programs_that_make_their_plans_calls(tmp_path):
    run, manifest, _ = _run(tmp_path)
    rows = [json.loads(x) for x in (tmp_path / "run" / "dataset.jsonl").read_text().splitlines()]
    assert len(rows) == manifest["stats"]["pairs"] == len(run.chosen_pairs()) == 2
    records = {r["id"]: r for r in run.instr}
    for row in rows:
        plan = records[row["id"]]["plan"]
        assert plan["shape"] and plan["values"] and plan["calls"]
        assert check_coverage(plan, row["program"]) is None
        assert row["instruction"] == records[row["id"]]["instruction"]  # no InstAlign
    # check-and-report's programs (the fake's GENERIC: go to the lobby, say) are refused, the plan's
    # missing calls among the findings
    said = [" ".join([a["verdict"].get("rule") or "", a["verdict"].get("message", ""), *a["verdict"].get("others", [])])
            for a in run.attempts if not a["verdict"]["valid"]]
    assert any("plan-coverage" in x and "the program never makes that call" in x for x in said)
    assert not list(run.aligned)


def test_a_planned_request_is_shown_its_shapes_worked_example_last(tmp_path):
    run, _, backend = _run(tmp_path)
    shapes = {s.name: s for s in domain_plans(run.domain).shapes}
    records = {r["instruction"]: r for r in run.instr if r.get("kept")}
    asked = [r for r in backend.seen if r.messages[-1]["content"] in records]
    assert asked
    for req in asked:
        shape = shapes[records[req.messages[-1]["content"]]["plan"]["shape"]]
        example_instruction, example_program = shape.example_pair()
        assert req.messages[-3]["content"] == example_instruction  # the turn just before the request
        assert example_program.strip() in req.messages[-2]["content"]
        assert len(req.messages) == 1 + 2 * (run.cfg.shots + 1) + 1  # system, seeds, the example, the request


def test_a_resumed_plan_run_asks_the_model_nothing_new(tmp_path):
    _, first, backend = _run(tmp_path)
    assert backend.calls > 0
    _, again, backend2 = _run(tmp_path)
    assert backend2.calls == 0 and again["stats"]["pairs"] == first["stats"]["pairs"]


def test_plans_need_the_strict_check_and_a_domain_with_shapes():
    with pytest.raises(UserError, match="--check strict"):
        GenerateConfig(origin="plans", check="reference").validate()
    with pytest.raises(UserError, match="declares no request shapes"):
        GenerateConfig(origin="plans", domain="examples/drone.yaml").validate()
    cfg = GenerateConfig(origin="plans")
    assert cfg.fingerprinted()["origin"] == "plans" and len(cfg.fingerprinted()["plans_text"]) == 12
    assert "plans_text" not in GenerateConfig(origin="instructions").fingerprinted()


def test_a_fill_answer_parses_to_the_slot_values():
    shape = {s.name: s for s in domain_plans(load_domain("service_robot")).shapes}["deliver"]
    values = parse_fill('{"object": "pen", "from_room": "lab", "to_room": "office"}', shape)
    assert values == {"object": "pen", "from_room": "lab", "to_room": "office"}
    assert parse_fill("no json here", shape) == {}


def test_auto_origin_is_plans_where_they_apply_and_instructions_elsewhere():
    assert GenerateConfig().validate().origin == "plans"
    assert GenerateConfig().fingerprint() == GenerateConfig(origin="plans").fingerprint()  # named by what ran
    drone = {"domain": "examples/drone.yaml", "seeds_file": "examples/drone_seeds.yaml"}
    for kw in ({"check": "reference"}, {"mode": "self-instruct"}, drone):
        cfg = GenerateConfig(**kw)
        assert cfg.validate().origin == "instructions", kw
        # the paper's settings keep the fingerprints they always had: origin is left out at its legacy value
        assert "origin" not in cfg.fingerprinted()


def test_a_run_made_before_plans_became_the_default_is_named_in_one_line(tmp_path, monkeypatch):
    from dataclasses import replace

    from roboinstruct.cli.generate import _default_check_note

    monkeypatch.chdir(tmp_path)
    cfg = GenerateConfig().validate()
    assert _default_check_note(cfg) is None
    old = tmp_path / "runs" / replace(cfg, origin="instructions").fingerprint()
    old.mkdir(parents=True)
    (old / "config.json").write_text("{}")
    note = _default_check_note(cfg)
    assert note.startswith("note: generate now starts pairs from the domain's request shapes") and \
        "--origin instructions" in note and str(old.relative_to(tmp_path)) in note
    assert _default_check_note(GenerateConfig(origin="plans").validate()) is None  # asked for by name: no note
