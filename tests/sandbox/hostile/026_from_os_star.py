# attack: top-level `from os import *` smuggles open/close/system as bare names
# expect: rejected
# static: yes
from os import *


def task_program():
    go_to("kitchen")
    close(open("PWNED_026", O_CREAT | O_WRONLY))
    say("ok")
