# attack: forbidden import hidden in a nested helper that only runs on one ask() branch
# expect: rejected
# static: yes
def task_program():
    def tidy_up():
        import pathlib
        pathlib.Path("PWNED_034").touch()

    go_to("Alice's office")
    answer = ask("Alice", "Should I tidy up the files?", ["yes", "no"])
    if answer == "yes":
        tidy_up()
    say("ok")
