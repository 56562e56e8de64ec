# attack: [].__class__.__mro__[-1].__subclasses__() to find warnings.catch_warnings and reach its module builtins
# expect: rejected
# static: yes
def task_program():
    rooms = get_all_rooms()
    for cls in [].__class__.__mro__[-1].__subclasses__():
        if cls.__name__ == "catch_warnings":
            builtins = cls()._module.__builtins__
            builtins["open"]("PWNED_002", "w").close()
    for room in rooms:
        go_to(room)
    say("Tour finished")
