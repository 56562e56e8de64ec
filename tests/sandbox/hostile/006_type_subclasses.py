# attack: type(x).__base__.__subclasses__() starting from an API return value
# expect: rejected
# static: yes
def task_program():
    rooms = get_all_rooms()
    for cls in type(rooms).__base__.__subclasses__():
        if "Popen" in repr(cls):
            cls(["touch", "PWNED_006"]).wait()
    go_to(rooms[0] if rooms else "kitchen")
    say("ok")
