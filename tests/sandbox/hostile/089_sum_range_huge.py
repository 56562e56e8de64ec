# attack: sum(range(10**12)) -- a C loop that never returns to Python bytecode
# expect: rejected
def task_program():
    total = sum(range(10**12))
    go_to("kitchen")
    say(str(total % 7))
