# attack: exception with a 100 MB message (must be truncated, not shipped to the parent)
# expect: rejected
def task_program():
    go_to("kitchen")
    raise ValueError("x" * 10**8)
