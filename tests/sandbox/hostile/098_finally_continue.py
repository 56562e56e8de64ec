# attack: `continue` inside `finally` in while True discards any in-flight exception (budget stop included)
# expect: rejected
def task_program():
    while True:
        try:
            go_to("kitchen")
            say("still here")
        finally:
            continue
