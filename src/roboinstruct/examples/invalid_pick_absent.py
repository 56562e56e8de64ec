# Bug: picks the apple exactly when the robot just saw it is not there.
def task_program():
    go_to("kitchen")
    if not is_in_room("apple"):
        pick("apple")
    say("done")
