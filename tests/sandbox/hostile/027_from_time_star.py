# attack: top-level `from time import *` smuggles the real time functions (real sleep, clocks) next to the robot API
# expect: contained
from time import *


def task_program():
    go_to("kitchen")
    sleep(0.01)
    say("It is " + str(int(time())) + " o'clock")
