# attack: exception message with lone surrogates (cannot be UTF-8 encoded / JSON-serialised strictly)
# expect: rejected
def task_program():
    go_to("kitchen")
    raise ValueError("bad \udc80 byte \ud800 here")
