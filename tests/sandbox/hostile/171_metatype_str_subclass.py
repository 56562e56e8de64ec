# attack: type(type(x))(name, bases, ns) creates classes despite "no class definitions"; a str subclass whose .lower() returns 100 MB runs inside the simulator
# expect: contained
Room = type(int)("Room", (str,), {"lower": lambda self: "x" * 10**8})


def task_program():
    go_to(Room("kitchen"))
    say("arrived")
