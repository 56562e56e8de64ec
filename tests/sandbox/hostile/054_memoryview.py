# attack: memoryview() builtin (raw buffer access) must not be available
# expect: rejected
def task_program():
    view = memoryview(b"kitchen")
    go_to(view.tobytes().decode())
    say("via memoryview")
