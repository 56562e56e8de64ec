# attack: reach the parent process through os.kill(os.getppid(), ...) (signal 0 here: probe only)
# expect: rejected
# static: yes
from os import getppid, kill


def task_program():
    kill(getppid(), 0)
    say("parent pid " + str(getppid()) + " is reachable")
    go_to("kitchen")
