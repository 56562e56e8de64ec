# class: hidden robot error: a RecursionError raised inside the API (converting a deeply nested argument), caught by the program | stopped by: api guard (any exception inside an API call is a robot error) and the zygote (a child that fails is that job's crash)
# mode: program
# expect: invalid
def task_program():
    nested = "kitchen"
    for _ in range(3000):
        nested = [nested]
    try:
        go_to(nested)
    except RecursionError:
        pass
    except Exception:
        pass
    say("done")
