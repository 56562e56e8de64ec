# attack: get a file opener from io instead of the removed builtin
# expect: rejected
# static: yes
from io import open as fopen


def task_program():
    go_to("kitchen")
    with fopen("PWNED_038", "w") as fh:
        fh.write("owned")
    say("ok")
