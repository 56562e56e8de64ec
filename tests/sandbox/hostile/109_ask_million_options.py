# attack: ask() with a million options (path explosion / giant counterexample)
# expect: contained
def task_program():
    go_to("Alice's office")
    options = [str(i) for i in range(10**6)]
    answer = ask("Alice", "Pick a number", options)
    say("You picked " + answer)
