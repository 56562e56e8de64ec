"""false-claim: a report that claims work the program never did (quality.claims)."""

from __future__ import annotations


import pytest

from roboinstruct.domain import DomainError, parse_domain
from roboinstruct.quality import check_program
from roboinstruct.quality.claims import participles


def rules(instruction, program, domain):
    return [f.rule for f in check_program(instruction, program, domain)]


def test_informed_by_announcing_it_is_a_false_claim(domain):
    program = '''def task_program():
    go_to("conference room")
    say("The chairperson has been informed that the meeting is moved to 3 pm")
'''
    found = [f for f in check_program("Go to the conference room and tell the chairperson the meeting moved "
                                      "to 3 pm.", program, domain) if f.rule == "false-claim"]
    assert len(found) == 1 and found[0].line == 3
    assert "has been informed" in found[0].reason and "say()" in found[0].reason


def test_delivered_after_placing_it_is_an_honest_report(domain):
    program = '''def task_program():
    go_to("mail room")
    pick("package")
    go_to("Ben's office")
    place("package")
    say("The package has been delivered")
'''
    assert "false-claim" not in rules("Bring the package from the mail room to Ben's office.", program, domain)
    assert "false-claim" in rules("Bring the package from the mail room to Ben's office.",
                                  program.replace('    place("package")\n', ""), domain)


def test_a_claim_of_what_the_robot_cannot_do(domain):
    program = '''def task_program():
    go_to("kitchen")
    say(f"Your eggs have been cooked, {'Maria'}")
'''
    found = [f for f in check_program("Go to the kitchen and tell Maria about her eggs.", program, domain)
             if f.rule == "false-claim"]
    assert found and "cannot cook" in found[0].reason


def test_reports_of_what_was_sensed_or_relayed_pass(domain):
    program = '''def task_program():
    go_to("Ben's office")
    answer = ask("Ben", "When is the meeting scheduled?", ["2 pm", "3 pm"])
    go_to("lobby")
    say("A spare chair has been found in the lobby. The meeting is scheduled at " + answer)
'''
    assert "false-claim" not in rules("Ask Ben when the meeting is, then tell me in the lobby.", program, domain)


def test_participles_regular_and_irregular():
    assert {"cooked", "fixed"} <= participles("cook") | participles("fix")
    assert "tidied" in participles("tidy") and "bought" in participles("buy") and "mopped" in participles("mop")


def test_claims_must_name_functions_of_the_domain(domain):
    raw = dict(domain.raw)
    raw["quality"] = {**raw["quality"], "claims": {"teleport": ["beamed"]}}
    with pytest.raises(DomainError, match=r"quality\.claims\.teleport.*unknown function"):
        parse_domain(raw, "bad.yaml")
