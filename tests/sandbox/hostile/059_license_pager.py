# attack: license() reads files from disk and pages via input() on the worker's stdin
# expect: rejected
def task_program():
    try:
        license()
    except EOFError:
        pass
    go_to("kitchen")
