"""Flow rules: where the robot is when it acts (quality.flow), and the rules added beside them."""

from __future__ import annotations

from roboinstruct.quality import check_program


def rules(instruction, program, domain):
    return [f.rule for f in check_program(instruction, program, domain)]


FOUND_THEN_MOVED = '''def task_program():
    go_to("kitchen")
    if is_in_room("water bottle"):
        go_to("bathroom")
        pick("water bottle")
        place("water bottle")
'''


def test_found_in_one_room_picked_in_another(domain):
    found = check_program("Find the water bottle in the kitchen and bring it to the bathroom.", FOUND_THEN_MOVED, domain)
    assert [f.rule for f in found] == ["found-elsewhere"]
    assert "'kitchen'" in found[0].reason and found[0].line == 5


def test_picked_where_found_then_carried_passes(domain):
    program = FOUND_THEN_MOVED.replace('        go_to("bathroom")\n        pick("water bottle")\n',
                                       '        pick("water bottle")\n        go_to("bathroom")\n')
    assert rules("Find the water bottle in the kitchen and bring it to the bathroom.", program, domain) == []


def test_a_person_found_in_the_office_is_not_asked_in_the_storage_room(domain):
    program = '''def task_program():
    go_to("Priya's office")
    if is_in_room("Priya"):
        go_to("storage room")
        a = ask("Priya", "Do you need batteries?", ["yes", "no"])
        say(a)
'''
    assert "found-elsewhere" in rules("Ask Priya in her office whether she needs batteries.", program, domain)


def test_looking_again_after_moving_is_fine(domain):
    program = '''def task_program():
    go_to("kitchen")
    if is_in_room("apple"):
        go_to("pantry")
        if is_in_room("apple"):
            pick("apple")
'''
    assert "found-elsewhere" not in rules("Check the kitchen and the pantry for an apple and pick one up.",
                                          program, domain)


def test_going_back_to_where_it_was_found_is_fine(domain):
    program = '''def task_program():
    go_to("kitchen")
    if is_in_room("apple"):
        go_to("pantry")
        say("there is an apple in the kitchen")
        go_to("kitchen")
        pick("apple")
'''
    assert "found-elsewhere" not in rules("Tell the pantry there is an apple, then pick it up.", program, domain)


def test_checking_needs_a_look(domain):
    program = 'def task_program():\n    go_to("conference room")\n'
    assert rules("Go to the conference room and make sure it is available.", program, domain) == ["missing-check"]
    looks = 'def task_program():\n    go_to("conference room")\n    if is_in_room("person"):\n        say("busy")\n'
    assert "missing-check" not in rules("Go to the conference room and make sure it is available.", looks, domain)


def test_a_role_is_not_a_room(domain):
    program = 'def task_program():\n    go_to("library")\n    pick("book")\n    go_to("current location")\n    place("book")\n'
    found = check_program("Go to the library to bring back the book.", program, domain)
    assert [f.rule for f in found] == ["relative-place"] and found[0].line == 4


def test_yes_no_question_offered_unrelated_options(domain):
    program = '''def task_program():
    go_to("Priya's office")
    x = ask("Priya", "Can you help with the design project?", ["chair", "table", "bookshelf"])
    say("Priya suggested " + x)
'''
    assert "options-form" in rules("Ask Priya if she can help with the design project.", program, domain)
    named = program.replace('"Can you help with the design project?", ["chair", "table", "bookshelf"]',
                            '"Would you like a chair or a table?", ["chair", "table"]')
    assert "options-form" not in rules("Ask Priya if she would like a chair or a table.", named, domain)


def test_joining_one_answer_joins_its_characters(domain):
    program = '''def task_program():
    go_to("kitchen")
    missing = ask("chef", "What is missing from the pantry?", ["fruit", "milk"])
    say("Missing: " + ", ".join(missing))
'''
    assert "string-iteration" in rules("Ask the chef in the kitchen what is missing and tell me.", program, domain)


def test_a_yes_no_answer_spliced_into_a_sentence(domain):
    program = '''def task_program():
    go_to("Tom's office")
    slot = ask("Tom", "Will you join the meeting?", ["yes", "no"])
    say("Tom " + slot + " to join the meeting")
'''
    assert "answer-spliced" in rules("Ask Tom in his office if he will join the meeting.", program, domain)
    at_end = program.replace('say("Tom " + slot + " to join the meeting")', 'say("Tom answered " + slot)')
    assert "answer-spliced" not in rules("Ask Tom in his office if he will join the meeting.", at_end, domain)


SURVEY = '''def task_program():
    start = get_current_location()
    found = []
    for room in get_all_rooms():
        if "WORD" not in room:
            continue
        go_to(room)
        if is_in_room("spoon"):
            found.append(room)
    go_to(start)
    say("Spoons in: " + ", ".join(found))
'''


def test_every_room_is_not_only_rooms_with_room_in_their_name(domain):
    found = [f for f in check_program("Check every room for a spoon and tell me which have one.",
                                      SURVEY.replace("WORD", "room"), domain) if f.rule == "room-filter"]
    assert found and found[0].line == 5 and "'room'" in found[0].reason


def test_a_filter_on_a_word_never_said_is_refused_and_a_said_one_kept(domain):
    unasked = check_program("Check every room for a spoon and tell me which have one.",
                            SURVEY.replace("WORD", "office"), domain)
    assert any(f.rule == "room-filter" and "never mentions" in f.reason for f in unasked)
    asked = check_program("Check every office for a spoon and tell me which have one.",
                          SURVEY.replace("WORD", "office"), domain)
    assert not any(f.rule == "room-filter" for f in asked)


def test_rooms_are_not_filtered_by_the_name_of_what_is_sought(domain):
    found = [f for f in check_program("Check every room for a spoon and tell me which have one.",
                                      SURVEY.replace("WORD", "spoon"), domain) if f.rule == "room-filter"]
    assert found and "the name of what it looks for" in found[0].reason
