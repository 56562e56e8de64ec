# attack: huge allocation in top-level module code, before task_program is called
# expect: rejected
CACHE = "x" * 10**10


def task_program():
    go_to("kitchen")
    say(str(len(CACHE)))
