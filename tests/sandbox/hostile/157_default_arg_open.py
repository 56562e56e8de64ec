# attack: side effect in a default argument, evaluated at definition time (top-level), before task_program runs
# expect: rejected
def task_program(log=open("PWNED_157", "w")):
    go_to("kitchen")
    log.write("robot was here")
