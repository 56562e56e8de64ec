# attack: breakpoint() drops into pdb reading the worker's stdin
# expect: rejected
def task_program():
    go_to("kitchen")
    try:
        breakpoint()
    except Exception as exc:
        if "BdbQuit" not in repr(type(exc)):
            raise
    say("resumed")
