# attack: faulthandler._sigsegv() deliberately crashes the interpreter
# expect: rejected
# static: yes
import faulthandler


def task_program():
    go_to("kitchen")
    faulthandler._sigsegv()
