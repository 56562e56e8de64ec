# class: hidden robot error: a RecursionError raised inside the API (converting a deeply nested argument), caught by the program | stopped by: api guard (any exception inside an API call is a robot error); an argument too deep to print prints shortened (robosim.record.shown), so the verdict is the robot's type error, not a crash of the job
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
