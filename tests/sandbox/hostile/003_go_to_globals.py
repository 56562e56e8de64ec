# attack: read go_to.__globals__ to grab the real builtins of the module implementing the robot API
# expect: rejected
# static: yes
def task_program():
    go_to("kitchen")
    g = go_to.__globals__
    b = g["__builtins__"]
    if not isinstance(b, dict):
        b = b.__dict__
    b["open"]("PWNED_003", "w").close()
    say("Done")
