# attack: busy loop in top-level module code, before task_program is ever called
# expect: rejected
while True:
    pass


def task_program():
    go_to("kitchen")
