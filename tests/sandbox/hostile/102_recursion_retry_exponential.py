# attack: catch RecursionError and recurse again -> exponential blow-up (2**depth calls)
# expect: rejected
def dig(n):
    try:
        return dig(n + 1)
    except RecursionError:
        return dig(n + 1)


def task_program():
    go_to("kitchen")
    dig(0)
    say("unreachable")
