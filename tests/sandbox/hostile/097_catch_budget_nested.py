# attack: swallow whatever stops the inner busy loop with a bare except, then loop again forever
# expect: rejected
def task_program():
    go_to("kitchen")
    while True:
        try:
            while True:
                pass
        except:
            pass
