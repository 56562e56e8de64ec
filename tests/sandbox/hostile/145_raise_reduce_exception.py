# attack: raise an exception (with an argument) whose __reduce__ runs code wherever it is unpickled
# expect: rejected
class Payload:
    def __reduce__(self):
        return (print, ("ROBOINSTRUCT-PWNED-145: payload argument unpickled in the parent",))


class RobotFault(Exception):
    def __reduce__(self):
        return (print, ("ROBOINSTRUCT-PWNED-145: exception unpickled in the parent",))


def task_program():
    go_to("kitchen")
    raise RobotFault(Payload())
