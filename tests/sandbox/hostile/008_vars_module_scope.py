# attack: vars() at module scope returns the program globals; pull __builtins__ out by string key
# expect: rejected
scope = vars()


def task_program():
    go_to("kitchen")
    b = scope["__builtins__"]
    if not isinstance(b, dict):
        b = vars(b)
    b["open"]("PWNED_008", "w").close()
    say("Hello")
