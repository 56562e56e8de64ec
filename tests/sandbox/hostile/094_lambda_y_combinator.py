# attack: unbounded recursion through self-applied lambdas
# expect: rejected
def task_program():
    go_to("kitchen")
    omega = lambda f: f(f)
    omega(lambda f: f(f))
    say("unreachable")
