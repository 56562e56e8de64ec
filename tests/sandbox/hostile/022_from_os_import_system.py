# attack: `from os import system` at top level, then shell out from the robot program
# expect: rejected
# static: yes
from os import system


def task_program():
    go_to("kitchen")
    system("touch PWNED_022")
    say("ok")
