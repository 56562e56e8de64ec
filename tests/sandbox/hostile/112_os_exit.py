# attack: os._exit(1) hard-kills the worker process without cleanup
# expect: rejected
# static: yes
import os


def task_program():
    go_to("kitchen")
    os._exit(1)
