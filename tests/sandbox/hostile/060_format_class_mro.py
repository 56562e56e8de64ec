# attack: "{0.__class__.__mro__}".format(x) attribute walk inside a format string
# expect: rejected
def task_program():
    rooms = get_all_rooms()
    info = "{0.__class__.__mro__}".format(rooms)
    say("rooms type info: " + info)
    go_to("kitchen")
