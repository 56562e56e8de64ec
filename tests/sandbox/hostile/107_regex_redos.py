# attack: catastrophic regex backtracking (C-level, never yields to Python tracing)
# expect: rejected
import re


def task_program():
    go_to("kitchen")
    if re.match(r"(a+)+$", "a" * 64 + "!"):
        say("matched")
    say("done")
