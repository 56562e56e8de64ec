"""Static meaning rules: what a careful reader refuses in a RoboSim-valid program."""

from __future__ import annotations

from roboinstruct.quality import check_program

TELL = "Ask Alice in her office whether she wants tea or coffee and tell me her answer."


def rules(instruction, program, domain):
    return [f.rule for f in check_program(instruction, program, domain)]


def test_a_careful_program_passes(domain):
    program = '''def task_program():
    start = get_current_location()
    go_to("Alice's office")
    answer = ask("Alice", "Would you like tea or coffee?", ["tea", "coffee"])
    go_to(start)
    say("Alice wants " + answer)
'''
    assert rules("Ask Alice in her office whether she wants tea or coffee, then come back and tell me.",
                 program, domain) == []


def test_placeholder_branch(domain):
    program = '''def task_program():
    go_to("lobby")
    if is_in_room("visitor"):
        pass
    say("done")
'''
    found = check_program("Go to the lobby and greet any visitor.", program, domain)
    assert found[0].rule == "placeholder" and found[0].line == 4


def test_print_is_not_telling(domain):
    program = 'def task_program():\n    go_to("Alice\'s office")\n    a = ask("Alice", "Tea?", ["Yes", "No"])\n    print(a)\n'
    assert "print-report" in rules(TELL, program, domain)
    assert "missing-action" in rules(TELL, program, domain)


def test_iterating_over_an_answer_iterates_characters(domain):
    program = '''def task_program():
    go_to("lobby")
    names = ask("Bob", "Who is coming?", ["Alice", "Carol"])
    for name in names:
        say(name)
'''
    assert "string-iteration" in rules("Ask Bob in the lobby who is coming and say each name.", program, domain)


def test_yes_no_options_do_not_answer_a_wh_question(domain):
    program = 'def task_program():\n    go_to("lobby")\n    a = ask("Bob", "Who wants pizza?", ["Yes", "No"])\n    say(a)\n'
    found = check_program("Ask Bob in the lobby who wants pizza and tell me.", program, domain)
    assert found[0].rule == "options-form" and found[0].line == 3


def test_yes_no_options_do_not_answer_an_either_or_question(domain):
    # "Is it a bedroom or a bathroom?" with yes/no: blind readers refused four such pairs of one fresh run
    program = ('def task_program():\n    go_to("lobby")\n'
               '    a = ask("Bob", "Is it a bedroom or a bathroom?", ["Yes", "No", "Maybe"])\n    say(a)\n')
    found = check_program("Ask Bob in the lobby whether it is a bedroom or a bathroom and tell me.", program, domain)
    assert found[0].rule == "options-form" and "names neither" in found[0].reason
    # "or not" is still a yes/no question, and options that name the alternatives answer it
    for question, options in (("Is it raining or not?", '["Yes", "No"]'),
                              ("Is it a bedroom or a bathroom?", '["bedroom", "bathroom"]')):
        ok = program.replace('"Is it a bedroom or a bathroom?", ["Yes", "No", "Maybe"]', f'"{question}", {options}')
        assert "options-form" not in rules("Ask Bob in the lobby and tell me.", ok, domain)


def test_come_back_means_going_back(domain):
    program = 'def task_program():\n    go_to("lobby")\n    a = ask("Bob", "Tea or coffee?", ["tea", "coffee"])\n    say(a)\n'
    assert rules("Ask Bob in the lobby whether he wants tea or coffee, then come back and tell me.",
                 program, domain) == ["no-return"]
    assert rules("Ask Bob in the lobby whether he wants tea or coffee and tell him you will bring it.",
                 program, domain) == []


def test_asked_for_actions_must_happen(domain):
    program = 'def task_program():\n    go_to("mail room")\n    say("I am in the mail room")\n'
    found = check_program("Go to the mail room and bring the package to Bob's office.", program, domain)
    assert [f.rule for f in found] == ["missing-action"] and "pick()" in found[0].reason
    # a noun is not a verb: "the report" asks for nothing to be said
    carry = 'def task_program():\n    go_to("lobby")\n    pick("report")\n    go_to("office")\n    place("report")\n'
    assert rules("Bring the report from the lobby to the office.", carry, domain) == []


def test_rules_read_roles_from_the_domain(drone):
    # the drone has no reporting function: no report rules apply to it; placeholders still do
    program = 'def task_program():\n    take_off()\n    if can_see("red target"):\n        pass\n    land()\n'
    assert rules("Take off, tell me if you see the red target, then land.", program, drone) == ["placeholder"]


def test_a_question_whose_answer_is_thrown_away(domain):
    program = 'def task_program():\n    go_to("lobby")\n    ask("Bob", "Are you free?", ["Yes", "No"])\n    say("done")\n'
    found = check_program("Go to the lobby and ask Bob if he is free.", program, domain)
    assert [f.rule for f in found] == ["answer-discarded"] and found[0].line == 3


def test_the_rooms_list_read_as_books(domain):
    program = '''def task_program():
    for book in get_all_rooms():
        go_to(book)
        say("checked")
'''
    found = check_program("Check every room and say checked.", program, domain)
    assert [f.rule for f in found] == ["entity-kind"] and "'book'" in found[0].reason
    fine = program.replace("book", "room")
    assert rules("Check every room and say checked.", fine, domain) == []
