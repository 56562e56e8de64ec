# attack: raise KeyboardInterrupt, which naive `except Exception` handlers in a verifier do not catch
# expect: rejected
def task_program():
    go_to("kitchen")
    raise KeyboardInterrupt
