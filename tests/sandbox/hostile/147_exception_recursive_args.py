# attack: exception whose args contain itself: str(e) recurses until RecursionError inside the verifier
# expect: rejected
def task_program():
    go_to("kitchen")
    err = ValueError("loop")
    err.args = (err,)
    raise err
