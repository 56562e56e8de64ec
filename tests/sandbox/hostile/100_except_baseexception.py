# attack: except BaseException around a busy loop, re-entering it forever
# expect: rejected
def task_program():
    go_to("kitchen")
    attempts = 0
    while True:
        try:
            while True:
                attempts += 1
        except BaseException:
            attempts = 0
            continue
