# attack: gi_frame.f_builtins['__import__'] from an unstarted generator expression
# expect: rejected
def task_program():
    g = (x for x in [])
    imp = g.gi_frame.f_builtins["__import__"]
    os = imp("os")
    os.close(os.open("PWNED_074", os.O_CREAT | os.O_WRONLY))
    go_to("kitchen")
