# Bug: find_object is not part of the robot's API.
def task_program():
    location = find_object("keys")
    go_to(location)
    pick("keys")
