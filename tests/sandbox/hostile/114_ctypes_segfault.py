# attack: ctypes null-pointer read segfaults the worker
# expect: rejected
# static: yes
import ctypes


def task_program():
    go_to("kitchen")
    ctypes.string_at(0)
