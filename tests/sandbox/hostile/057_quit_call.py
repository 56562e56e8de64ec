# attack: quit() (site builtin) to kill the worker
# expect: rejected
def task_program():
    go_to("kitchen")
    say("bye")
    quit()
