# attack: raise SystemExit to make the worker exit (or look like a clean shutdown)
# expect: rejected
def task_program():
    go_to("kitchen")
    say("shutting down")
    raise SystemExit(0)
