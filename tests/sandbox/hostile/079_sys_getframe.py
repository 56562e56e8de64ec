# attack: sys._getframe(1).f_globals to reach the caller's namespace
# expect: rejected
# static: yes
import sys


def task_program():
    caller = sys._getframe(1)
    say("called from " + caller.f_code.co_filename)
    caller.f_globals["PWNED"] = True
    go_to("kitchen")
