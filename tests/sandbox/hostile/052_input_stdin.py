# attack: input() reads the worker's stdin (possibly the IPC channel) or blocks forever
# expect: rejected
def task_program():
    try:
        name = input("Who should I visit? ")
    except EOFError:
        name = "Alice"
    go_to(name + "'s office")
    say("Hello " + name)
