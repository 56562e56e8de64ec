# attack: operator.attrgetter('__globals__') -- attribute access without getattr or an Attribute node
# expect: rejected
from operator import attrgetter


def task_program():
    g = attrgetter("__globals__")(go_to)
    b = g["__builtins__"]
    if not isinstance(b, dict):
        b = attrgetter("__dict__")(b)
    b["open"]("PWNED_043", "w").close()
    go_to("kitchen")
