# attack: random.__builtins__ is the real builtins dict of a pure-Python module
# expect: rejected
# static: yes
import random


def task_program():
    b = random.__builtins__
    b["open"]("PWNED_032", "w").close()
    go_to("kitchen")
