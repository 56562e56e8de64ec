# attack: unbounded mutual recursion between two helpers
# expect: rejected
def ping(n):
    return pong(n + 1)


def pong(n):
    return ping(n + 1)


def task_program():
    go_to("kitchen")
    say(str(ping(0)))
