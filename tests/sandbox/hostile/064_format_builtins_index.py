# attack: "{0.__globals__[__builtins__]}" indexes into the globals dict from a format string
# expect: rejected
def task_program():
    go_to("kitchen")
    say("{0.__globals__[__builtins__]}".format(go_to)[:300])
