"""plan-place / plan-answer (roboinstruct.quality.plan_trace): what a program does on RoboSim's paths,
judged in the parent on the replayed record, against its plan — through the real verifier."""

from __future__ import annotations

import pytest

from roboinstruct.domain import load_domain
from roboinstruct.errors import DomainError
from roboinstruct.pipeline import rejection
from roboinstruct.quality.plan_trace import PlanTrace
from roboinstruct.quality.plans import check_coverage, domain_plans, parse_call, parse_plans
from roboinstruct.robosim.verifier import verify_many

DOMAIN = load_domain("service_robot")
SHAPES = {s.name: s for s in domain_plans(DOMAIN).shapes}


def _plan(shape: str, **values) -> dict:
    s = SHAPES[shape]
    return {"shape": shape, "values": values or dict(s.example[0]), "calls": s.call_texts,
            "texts": [x.name for x in s.slots if x.text in ("question", "message")]}


def _judge(pairs: list[tuple[dict, str]]) -> list[dict]:
    """The strict verdict with the plan's checks, as the pipeline makes it (sandbox workers, replay here)."""
    observers = [PlanTrace.for_plan(plan, DOMAIN) for plan, _ in pairs]
    verdicts = verify_many([p for _, p in pairs], DOMAIN, extracted=True, strict=True, observers=observers,
                           workers=1)
    return [rejection.with_static_rules(rejection.compact_verdict(v), "", program, DOMAIN, plan=plan,
                                        traced=o.finding) | {"observed": o.paths, "paths": v.paths}
            for (plan, program), v, o in zip(pairs, verdicts, observers)]


def test_every_shapes_worked_example_passes_every_check_of_its_plan():
    pairs = [(_plan(name), shape.example[1]) for name, shape in SHAPES.items()]
    assert all(shape.example is not None for shape in SHAPES.values())
    for (plan, _), v in zip(pairs, _judge(pairs)):
        assert v["valid"], (plan["shape"], v.get("rule"), v["message"])
        assert v["observed"] == v["paths"] > 0  # the observer saw every explored path, as replayed


BAD = [
    ("check-and-report", '''def task_program():
    go_to("lobby")
    if is_in_room("umbrella"):
        say("There is an umbrella in the lobby")
    else:
        say("There is no umbrella in the lobby")
''', "plan-place", "made in 'lobby'"),
    ("survey-rooms", '''def task_program():
    start = get_current_location()
    have = []
    for room in get_all_rooms():
        if is_in_room("fire extinguisher"):
            continue
        go_to(room)
        have.append(room)
    go_to(start)
    say("Rooms: " + ", ".join(have))
''', "plan-place", "in one of the rooms it goes through"),
    ("ask-then-fetch", '''def task_program():
    go_to("break room")
    choice = ask("Sam", "Which would you like?", ["apple", "banana", "orange"])
    go_to("kitchen")
    go_to("break room")
    pick(choice)
    go_to("kitchen")
    place(choice)
''', "plan-place", "pick("),
    ("ask-then-fetch", '''def task_program():
    go_to("break room")
    choice = ask("Sam", "Which would you like?", ["apple", "banana", "orange"])
    go_to("kitchen")
    pick("apple")
    go_to("break room")
    place("apple")
''', "plan-answer", "after the person chose"),
    ("ask-and-report", '''def task_program():
    start = get_current_location()
    go_to("reception")
    if ask("Maya", "Is the printer working again?", ["Yes", "No", "Not sure"]) == "Yes":
        go_to(start)
        say("Maya said 'Yes'")
    else:
        go_to(start)
        say("Maya said 'No'")
''', "plan-answer", "'not sure'"),
    ("fetch-for-me", '''def task_program():
    go_to("kitchen")
    pick("water bottle")
    go_to("lobby")
    place("water bottle")
''', "plan-place", "back where the request was given"),
    # the search goes on after the find and always ends "could not find" (two such programs in one fresh run)
    ("find-person", '''def task_program():
    start_loc = get_current_location()
    for room in get_all_rooms():
        go_to(room)
        if is_in_room("Lena"):
            say("The team meeting moved to 3 pm")
    go_to(start_loc)
    say("I could not find Lena in any room")
''', "plan-contradiction", "after the program found"),
]


@pytest.mark.parametrize("shape,program,rule,words", BAD, ids=[f"{b[0]}-{b[2]}" for b in BAD])
def test_a_covered_program_that_does_the_wrong_thing_on_its_paths_is_refused(shape, program, rule, words):
    assert check_coverage(_plan(shape), program) is None or shape == "survey-rooms"  # the source alone passes
    (v,) = _judge([(_plan(shape), program)])
    assert not v["valid"] and v["rule"] == rule and words in v["message"], v


def test_two_rooms_checked_in_one_loop_follow_the_plan_in_either_place():
    program = '''def task_program():
    start = get_current_location()
    found = []
    for room in ["mail room", "copy room"]:
        go_to(room)
        if is_in_room("pair of scissors"):
            found.append(room)
    go_to(start)
    say("Found in: " + ", ".join(found))
'''
    (v,) = _judge([(_plan("check-two-rooms"), program)])
    assert v["valid"], v


def test_a_report_said_after_going_back_to_the_saved_start_is_at_the_start():
    trace = PlanTrace(_plan("check-and-report"))
    trace([["get_current_location", [], 2, "starting position"], ["go_to", ["lobby"], 3, None],
           ["is_in_room", ["umbrella"], 4, True], ["go_to", ["starting position"], 5, None],
           ["say", ["yes"], 6, None]])
    assert trace.finding is None and trace.paths == 1
    trace([["go_to", ["lobby"], 3, None], ["is_in_room", ["umbrella"], 4, True], ["say", ["yes"], 6, None]])
    assert trace.finding.rule == "plan-place" and trace.finding.line == 6


def test_planned_calls_parse_with_start_and_answer():
    call = parse_call("say({answer}) @start", {"room"})
    assert (call.function, call.args, call.at_start, call.text) == ("say", ("answer",), True, "say({answer}) @start")
    with pytest.raises(ValueError, match="does not have"):
        parse_call("say({other})", {"room"})


def test_a_worked_example_without_its_slots_is_one_clear_error():
    raw = {"slots": {"room": {"kind": "location"}},
           "shapes": [{"name": "x", "requests": ["go to the {room}"], "calls": ["go_to({room})"],
                       "example": {"values": {"hall": "lobby"}, "program": "def task_program():\n    pass\n"}}]}
    with pytest.raises(DomainError, match=r"plans.shapes\[0\].example: give values \(one per slot: room\)"):
        parse_plans(raw, DOMAIN, "d.yaml")


def test_every_worked_example_is_a_fill_the_checks_accept():
    from roboinstruct.quality.plans import check_fill

    assert [(name, check_fill(s, s.example[0], DOMAIN)) for name, s in SHAPES.items()] == \
        [(name, None) for name in SHAPES]
