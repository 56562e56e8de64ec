"""Plan-first's contract (roboinstruct.quality.plans): shapes parsed from the domain YAML with
one clear error per mistake, fills refused with their reason, programs checked against the plan."""

from __future__ import annotations

import pytest

from roboinstruct.domain import load_domain, parse_domain
from roboinstruct.errors import DomainError
from roboinstruct.quality.plans import (check_coverage, check_fill, domain_plans, fill_schema, parse_plans,
                                        render_request)

DOMAIN = load_domain("service_robot")
PLANS = domain_plans(DOMAIN)
SHAPES = {s.name: s for s in PLANS.shapes}


def test_the_service_robots_shapes_parse_with_slot_kinds():
    deliver = SHAPES["deliver"]
    assert [(s.name, s.kind) for s in deliver.slots] == [("object", "object"), ("from_room", "location"),
                                                          ("to_room", "location")]
    assert deliver.call_texts == ["go_to({from_room})", "pick({object})", "go_to({to_room})", "place({object})"]
    assert len(PLANS.shapes) >= 8 and len(PLANS.settings) >= 5 and all(len(s.requests) >= 2 for s in PLANS.shapes)
    schema = fill_schema(SHAPES["ask-and-report"])
    assert list(schema["properties"]) == ["room", "person", "question", "options"]
    assert schema["properties"]["options"]["type"] == "array"


def _shape(**kw):
    return {"name": "x", "requests": ["go to the {room}"], "calls": ["go_to({room})"], **kw}


@pytest.mark.parametrize("shape,message", [
    (_shape(calls=["fly({room})"]), "unknown function 'fly'"),
    (_shape(requests=["go to the {hall}"], calls=["go_to(_)"]), "slot {hall} matches no entry"),
    (_shape(calls=["go_to(room)"]), "neither {slot} nor _"),
    (_shape(calls=["go_to({object})"]), "the shape does not have"),
    (_shape(requests=["go to the {room}", "go somewhere"]), "the same {slots}"),
])
def test_a_wrong_shape_is_one_clear_error(shape, message):
    raw = {"slots": {"room": {"kind": "location"}}, "shapes": [shape]}
    with pytest.raises(DomainError, match=r"plans\.shapes\[0\]") as err:
        parse_plans(raw, DOMAIN, "my.yaml")
    assert message in str(err.value) and str(err.value).startswith("my.yaml: ")


def test_a_slot_needs_a_known_kind_or_text():
    with pytest.raises(DomainError, match="unknown kind 'vehicle'"):
        parse_plans({"slots": {"car": {"kind": "vehicle"}}, "shapes": [_shape()]}, DOMAIN)


def test_a_domain_without_plans_has_none():
    raw = dict(DOMAIN.raw)
    raw.pop("plans")
    assert domain_plans(parse_domain(raw, "no-plans.yaml")) is None


def test_the_request_is_a_wording_with_the_names_filled_in():
    shape = SHAPES["ask-and-report"]
    values = {"room": "the staff lounge", "person": "Dr. Patel", "question": "Tea or coffee?",
              "options": ["tea", "coffee", "water"]}
    assert check_fill(shape, values, DOMAIN) is None
    assert render_request(shape.requests[0], shape, values) == (
        'Go to the staff lounge and ask Dr. Patel "Tea or coffee?" with the options "tea", "coffee" or "water", '
        'then come back and tell me the answer.')
    deliver = SHAPES["deliver"]
    assert render_request(deliver.requests[0], deliver, {"object": "a stapler", "from_room": "copy room",
                                                         "to_room": "mail room"}) == (
        "Take the stapler from the copy room to the mail room.")


@pytest.mark.parametrize("shape,values,rule,words", [
    ("deliver", dict(object="cup", from_room="kitchen sink", to_room="lab"), "plan:kind", "an object"),
    ("deliver", dict(object="cup", from_room="kitchen", to_room="the Kitchen"), "plan:same", "both"),
    ("deliver", dict(object="object1", from_room="kitchen", to_room="lab"), "plan:placeholder", "placeholder"),
    ("deliver", dict(object="", from_room="kitchen", to_room="lab"), "plan:unfilled", "no value"),
    ("ask-and-report", dict(room="lounge", person="Ann", question="Tea or coffee", options=["tea", "coffee"]),
     "plan:question", "not a question"),
    ("ask-and-report", dict(room="lounge", person="Ann", question="Tea?", options=["tea", "Tea"]),
     "plan:options", "different"),
    ("ask-and-report", dict(room="lounge", person="Ann", question="Which?", options=["a", "b"]),
     "plan:placeholder", "placeholder"),
    ("ask-then-fetch", dict(room="lounge", person="Ann", choices=["pen", "kitchen"], store_room="closet"),
     "plan:kind", "a location"),
    ("message-if-present", dict(room="lounge", person="kitchen", message="Lunch is served"), "plan:kind",
     "a location"),
    ("deliver", dict(object="small everyday object", from_room="kitchen", to_room="lab"), "plan:placeholder",
     "placeholder"),
    # a message that is the request's own words, or tells its recipient to look for themselves
    ("message-if-present", dict(room="kitchen", person="Mom", message="Come back and tell me"), "plan:message",
     "request's own words"),
    ("find-person", dict(person="Mr. Johnson", message="Please see whether Mr. Johnson is in the office"),
     "plan:message", "names its own recipient"),
    ("deliver", dict(object="cup", from_room="shelves", to_room="lab"), "plan:kind", "an object"),
    # an object of the domain's kind that no person carries (the slot's `not:` list)
    ("deliver", dict(object="kitchen tables", from_room="kitchen", to_room="lab"), "plan:not", "one person can carry"),
    ("ask-then-fetch", dict(room="ward", person="Bob", choices=["MRI machine", "cup"], store_room="store"),
     "plan:not", "'MRI machine'"),
    # options that cannot answer the question: refused before any program is sampled for it
    ("ask-and-report", dict(room="library", person="Ann", question="What is the name of the book on the table?",
                            options=["Yes", "No", "Maybe", "Not sure"]), "plan:options", "is not answered by"),
    ("ask-and-relay", dict(room="library", person="Ann", question="Is the printer working?",
                           options=["red", "blue"], other_room="lobby"), "plan:options", "is offered"),
])
def test_a_bad_fill_is_refused_with_its_reason(shape, values, rule, words):
    found = check_fill(SHAPES[shape], values, DOMAIN)
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


ASK = {"values": {"room": "lounge", "person": "Ann", "question": "Tea or coffee?", "options": ["tea", "coffee"]},
       "calls": ["go_to({room})", "ask({person}, {question}, {options})", "say(_)"], "texts": ["question"]}


def test_questions_and_options_are_the_plans_own():
    program = ('def task_program():\n    go_to("lounge")\n    opts = ["Coffee", "tea"]\n'
               '    a = ask("Ann", "Ann, tea or coffee?", opts)\n    say("Ann chose " + a)\n')
    assert check_coverage(ASK, program) is None  # the question said inside a longer one, options in any order
    other = check_coverage(ASK, program.replace('"Ann, tea or coffee?"', '"How are you?"'))
    assert other is not None and "'Tea or coffee?'" in other.reason
    fewer = check_coverage(ASK, program.replace('["Coffee", "tea"]', '["yes", "no"]'))
    assert fewer is not None and "['tea', 'coffee']" in fewer.reason


def test_a_message_may_be_said_with_more_words_around_it():
    plan = {"values": {"message": "Lunch is ready"}, "calls": ["say({message})"], "texts": ["message"]}
    assert check_coverage(plan, 'def task_program():\n    say("Hi Ann! Lunch is ready.")\n') is None
    assert check_coverage(plan, 'def task_program():\n    name = "Ann"\n    say(f"Hi {name}, lunch is ready")\n') is None
    assert check_coverage(plan, 'def task_program():\n    say("Lunch soon")\n') is not None


def test_looking_before_going_where_the_plan_says_is_out_of_order():
    plan = {"values": {"room": "lounge", "person": "Ann", "message": "Lunch is ready"}, "texts": ["message"],
            "calls": ["go_to({room})", "is_in_room({person})", "say({message})"]}
    early = ('def task_program():\n    if is_in_room("Ann"):\n        go_to("lounge")\n'
             '        say("Lunch is ready")\n')
    found = check_coverage(plan, early)
    assert found is not None and found.rule == "plan-order" and found.line == 2
    assert check_coverage(plan, early.replace('    if is_in_room("Ann"):\n        go_to("lounge")\n',
                                              '    go_to("lounge")\n    if is_in_room("Ann"):\n')) is None


def test_a_name_that_starts_with_the_reads_once_in_the_request():
    relay = SHAPES["ask-and-relay"]
    text = render_request(relay.requests[0], relay, dict(room="Main Library", person="Ann", question="Is it open?",
                                                         options=["Yes", "No"], other_room="The Waiting Room"))
    assert "the Waiting Room" in text and "the The" not in text
