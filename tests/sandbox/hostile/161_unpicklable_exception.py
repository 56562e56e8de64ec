# attack: raise a user-defined exception carrying a lambda and an API function (cannot be pickled back to the parent)
# expect: rejected
class RobotConfused(Exception):
    pass


def task_program():
    go_to("kitchen")
    err = RobotConfused("I do not know where the kitchen is")
    err.callback = lambda: None
    err.api = get_all_rooms
    raise err
