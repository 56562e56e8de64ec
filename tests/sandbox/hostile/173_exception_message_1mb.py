# attack: exception with a 1 MB message (below any pipe limit; must be truncated, not stored in the verdict)
# expect: rejected
def task_program():
    go_to("kitchen")
    raise ValueError("x" * 10**6)
