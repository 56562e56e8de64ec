"""RoboSim's strict semantics (sandboxed, the real verifier): the reference verdict is unchanged,
and programs it accepts are explored again with kinds read from names and presence required."""

from __future__ import annotations

from roboinstruct.robosim import verify

ASK_AT_START = 'def task_program():\n    a = ask("Alice", "Tea or coffee?", ["tea", "coffee"])\n    say(a)\n'


def test_reference_accepts_what_strict_rejects_with_a_counterexample(domain):
    ref = verify(ASK_AT_START, domain)
    assert ref.valid and ref.check == "reference"
    v = verify(ASK_AT_START, domain, strict=True)
    assert not v.valid and v.error_kind == "MeaningError" and v.rule == "ask-presence"
    assert v.reference_valid is True and v.line == 2
    assert "ask('Alice'" in "\n".join(v.counterexample["trace"])


def test_going_to_the_person_or_seeing_them_is_enough(domain):
    went = ASK_AT_START.replace("    a = ask", '    go_to("Alice\'s office")\n    a = ask')
    assert verify(went, domain, strict=True).valid
    seen = ASK_AT_START.replace("    a = ask", '    if not is_in_room("Alice"):\n        return\n    a = ask')
    assert verify(seen, domain, strict=True).valid
    asked_me = 'def task_program():\n    r = ask("me", "Which room?", ["lobby", "kitchen"])\n    go_to(r)\n'
    assert verify(asked_me, domain, strict=True).valid  # the person giving the task is at the start


def test_names_of_the_wrong_kind(domain):
    room_as_person = 'def task_program():\n    go_to("lobby")\n    a = ask("classroom", "Is it free?", ["Yes", "No"])\n'
    v = verify(room_as_person, domain, strict=True)
    assert v.rule == "entity-kind" and "'classroom' names a location" in v.message
    desk_as_room = 'def task_program():\n    go_to("desk")\n    say("hi")\n'
    v = verify(desk_as_room, domain, strict=True)
    assert v.rule == "entity-kind" and "'desk' names an object" in v.message
    assert verify(desk_as_room, domain).valid  # the paper's RoboSim lets it through


def test_strict_never_accepts_what_reference_rejects(domain):
    broken = 'def task_program():\n    place("apple")\n'
    ref, strict = verify(broken, domain), verify(broken, domain, strict=True)
    assert not ref.valid and not strict.valid and strict.error_kind == ref.error_kind == "RobotExecutionError"
    assert strict.reference_valid is False
