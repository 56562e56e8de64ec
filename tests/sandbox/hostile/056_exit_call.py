# attack: exit() raises SystemExit (site builtin) to kill the worker mid-verification
# expect: rejected
def task_program():
    go_to("kitchen")
    exit(0)
    say("never")
