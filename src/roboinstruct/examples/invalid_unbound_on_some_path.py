# Bug: 'answer' is only assigned when someone is in the office.
def task_program():
    go_to("office")
    if is_in_room("person"):
        answer = ask("", "Do you need anything?", ["yes", "no"])
    go_to("lobby")
    say("The answer was " + answer)
