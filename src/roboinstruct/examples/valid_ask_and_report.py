# Go to Alice's office, ask whether she wants tea or coffee, come back and report.
def task_program():
    start = get_current_location()
    go_to("Alice's office")
    if is_in_room("Alice"):
        choice = ask("Alice", "Would you like tea or coffee?", ["tea", "coffee"])
        go_to(start)
        say(f"Alice would like {choice}")
    else:
        go_to(start)
        say("Alice is not in her office")
