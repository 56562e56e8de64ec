# attack: busy loop with no API calls
# expect: rejected
def task_program():
    go_to("kitchen")
    while True:
        pass
