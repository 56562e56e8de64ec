"""Plan-first's contract (roboinstruct.quality.plans): shapes parsed from the domain YAML with
one clear error per mistake, fills refused with their reason, programs checked against the plan."""

from __future__ import annotations

import pytest

from roboinstruct.domain import load_domain, parse_domain
from roboinstruct.errors import DomainError
from roboinstruct.quality.plans import check_coverage, check_fill, domain_plans, fill_schema, parse_plans

DOMAIN = load_domain("service_robot")
PLANS = domain_plans(DOMAIN)
SHAPES = {s.name: s for s in PLANS.shapes}


def test_the_service_robots_shapes_parse_with_slot_kinds():
    deliver = SHAPES["deliver"]
    assert [(s.name, s.kind) for s in deliver.slots] == [("object", "object"), ("from_room", "location"),
                                                          ("to_room", "location")]
    assert deliver.call_texts == ["go_to({from_room})", "pick({object})", "go_to({to_room})", "place({object})"]
    assert len(PLANS.shapes) >= 8 and len(PLANS.settings) >= 5
    schema = fill_schema(SHAPES["ask-and-report"])
    assert list(schema["properties"]) == ["room", "person", "question", "options", "wording"]
    assert schema["properties"]["options"]["type"] == "array"


@pytest.mark.parametrize("shape,calls,message", [
    ({"name": "x", "shape": "go to the {room}", "calls": ["fly({room})"]}, None, "unknown function 'fly'"),
    ({"name": "x", "shape": "go to the {hall}", "calls": ["go_to({hall})"]}, None, "slot {hall} matches no entry"),
    ({"name": "x", "shape": "go to the {room}", "calls": ["go_to(room)"]}, None, "neither {slot} nor _"),
    ({"name": "x", "shape": "go to the {room}", "calls": ["go_to({object})"]}, None, "the shape does not have"),
])
def test_a_wrong_shape_is_one_clear_error(shape, calls, message):
    raw = {"slots": {"room": {"kind": "location"}}, "shapes": [shape]}
    with pytest.raises(DomainError, match=r"plans\.shapes\[0\]") as err:
        parse_plans(raw, DOMAIN, "my.yaml")
    assert message in str(err.value) and str(err.value).startswith("my.yaml: ")


def test_a_slot_needs_a_known_kind_or_text():
    with pytest.raises(DomainError, match="unknown kind 'vehicle'"):
        parse_plans({"slots": {"car": {"kind": "vehicle"}}, "shapes": [{"name": "x", "shape": "s", "calls": ["say(_)"]}]},
                    DOMAIN)


def test_a_domain_without_plans_has_none():
    raw = dict(DOMAIN.raw)
    raw.pop("plans")
    assert domain_plans(parse_domain(raw, "no-plans.yaml")) is None


def _fill(shape, **values):
    text = values.pop("instruction")
    return check_fill(SHAPES[shape], values, text, DOMAIN)


def test_a_good_fill_passes():
    assert _fill("deliver", from_room="nurses' station", object="blood pressure cuff", to_room="room 12",
                 instruction="Take the blood pressure cuff from the nurses' station to room 12.") is None
    assert _fill("ask-and-report", room="staff lounge", person="Dr. Patel", question="Do you want tea or coffee?",
                 options=["tea", "coffee"], instruction="Go to the staff lounge and ask Dr. Patel whether she "
                                                        "wants tea or coffee, then tell me.") is None


@pytest.mark.parametrize("shape,values,rule,words", [
    ("deliver", dict(from_room="kitchen sink", object="cup", to_room="lab",
                     instruction="Take the cup from the kitchen sink to the lab."), "plan:kind", "an object"),
    ("deliver", dict(from_room="kitchen", object="cup", to_room="lab",
                     instruction="Take the mug from the kitchen to the lab."), "plan:unnamed", "'cup'"),
    ("deliver", dict(from_room="kitchen", object="cup", to_room="the Kitchen",
                     instruction="Take the cup from the kitchen to the kitchen."), "plan:same", "both"),
    ("ask-and-report", dict(room="lounge", person="Ann", question="Tea or coffee", options=["tea", "coffee"],
                            instruction="Ask Ann in the lounge: tea or coffee?"), "plan:question", "not a question"),
    ("ask-and-report", dict(room="lounge", person="Ann", question="Tea or coffee?", options=["tea", "tea"],
                            instruction="Ask Ann in the lounge: tea or coffee?"), "plan:options", "different"),
    ("ask-and-report", dict(room="lounge", person="Ann", question="Tea or coffee?", options=["tea", "juice"],
                            instruction="Ask Ann in the lounge: tea or coffee?"), "plan:unnamed", "'juice'"),
    ("message-if-present", dict(room="lounge", person="kitchen", message="Lunch is served downstairs",
                                instruction="Go to the lounge and tell the kitchen lunch is served downstairs."),
     "plan:kind", "a location"),
])
def test_a_bad_fill_is_refused_with_its_reason(shape, values, rule, words):
    found = _fill(shape, **values)
    assert found is not None and found.rule == rule and words in found.reason


PLAN = {"values": {"from_room": "nurses' station", "object": "cuff", "to_room": "Room 12"},
        "calls": ["go_to({from_room})", "pick({object})", "go_to({to_room})", "place({object})"]}
COVERED = '''def task_program():
    go_to("Nurses' Station")
    pick("the cuff")
    target = "room 12"
    go_to(target)
    place("cuff")
'''


def test_a_program_making_every_planned_call_covers_its_plan():
    assert check_coverage(PLAN, COVERED) is None
    looped = COVERED.replace('    target = "room 12"\n    go_to(target)\n',
                             '    for r in ["room 11", "room 12"]:\n        go_to(r)\n')
    assert check_coverage(PLAN, looped) is None


@pytest.mark.parametrize("edit,shown", [
    (('go_to(target)', 'go_to("room 13")'), "go_to('Room 12')"),   # the wrong room
    (('    pick("the cuff")\n', ''), "pick('cuff')"),              # never picks up what it was sent for
    (('target = "room 12"', 'target = get_current_location()'), "go_to('Room 12')"),
])
def test_a_program_missing_a_planned_call_is_refused(edit, shown):
    found = check_coverage(PLAN, COVERED.replace(*edit))
    assert found is not None and found.rule == "plan-coverage" and shown in found.reason


def test_any_argument_calls_need_only_the_function():
    plan = {"values": {}, "calls": ["get_all_rooms()", "say(_)"]}
    assert check_coverage(plan, "def task_program():\n    for r in get_all_rooms():\n        say(r)\n") is None
    found = check_coverage(plan, "def task_program():\n    for r in get_all_rooms():\n        go_to(r)\n")
    assert found is not None and "say(_)" in found.reason
