"""Instruction gates: each fires on the kind of instruction readers refused, and stays quiet on
requests this robot can carry out (RoboEval-style prompts among them)."""

from __future__ import annotations

import pytest

from roboinstruct.quality import check_instruction

GOOD = [
    "Go to every office, and if there is someone there, ask them whether they'd like a cupcake or a donut. "
    "Come back and tell me how many chose the donut.",
    "Check if there is a stapler in the supply room; if there is, bring it to Arjun's office.",
    "Ask Alice in her office whether she wants tea or coffee, then come back and tell me her answer.",
    "Find out which conference rooms have no chairs and tell me.",
    "Could you take the book from the lobby to Bob's office?",
    "Ask the student in the library if they want to borrow a book.",  # asking is in the API; borrowing is theirs
]
BAD = {
    "The program starts by asking Alice for her choice and then goes to the kitchen.": "gate:not-imperative",
    "Use the 'go_to' function to visit the lobby and say hello.": "gate:describes-code",
    "Go to the kitchen and cook a meal for everyone.": "gate:beyond-api",
    "Go to the park and look for a lost dog.": "gate:beyond-api",
    "Book the meeting room for 3 pm and tell Bob.": "gate:beyond-api",
    "Go to the kitchen and": "gate:incomplete",
    "Do the same as in the previous task for the lobby.": "gate:not-self-contained",
    "Write a python script that checks all rooms for a laptop.": "gate:describes-code",
}


@pytest.mark.parametrize("text", GOOD)
def test_requests_this_robot_can_do_pass(text, domain):
    assert check_instruction(text, domain) == []


@pytest.mark.parametrize("text,rule", BAD.items())
def test_each_gate_names_what_it_found(text, rule, domain):
    found = check_instruction(text, domain)
    assert found and rule in [f.rule for f in found], found
    assert all(f.reason for f in found)


def test_gates_read_the_domain_words_not_fixed_lists(drone):
    # the drone's own YAML says what it cannot do; the service robot's words do not apply to it
    assert check_instruction("Fly to the north pad and photograph the red target.", drone) == []
    assert [f.rule for f in check_instruction("Fly to the north pad and deliver a pizza to the customer.", drone)] \
        == ["gate:beyond-api"]
    assert check_instruction("Use take_off and then land at the south field.", drone)[0].rule == "gate:describes-code"
