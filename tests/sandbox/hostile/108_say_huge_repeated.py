# attack: say() a 10 MB message 25 times -- traces/counterexamples must not carry 250 MB back to the parent
# expect: contained
def task_program():
    go_to("kitchen")
    big = "x" * 10**7
    for _ in range(25):
        say(big)
