# attack: import sys and take os out of sys.modules without importing it
# expect: rejected
# static: yes
import sys


def task_program():
    os = sys.modules["os"]
    os.close(os.open("PWNED_025", os.O_CREAT | os.O_WRONLY))
    go_to("kitchen")
    say("Done")
