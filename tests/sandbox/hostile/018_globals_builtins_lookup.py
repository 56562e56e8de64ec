# attack: globals()['__builtins__'] via a string key, no dunder attribute in the AST
# expect: rejected
def task_program():
    go_to("kitchen")
    b = globals()["__builtins__"]
    if not isinstance(b, dict):
        b = vars(b)
    b["open"]("PWNED_018", "w").close()
    say("done")
