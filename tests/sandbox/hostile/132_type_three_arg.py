# attack: build classes dynamically with type('X', (), {...})
# expect: contained
Task = type("Task", (), {"run": lambda self, room: go_to(room), "label": "dynamic"})


def task_program():
    task = Task()
    task.run("kitchen")
    say("ran a " + task.label + " task")
