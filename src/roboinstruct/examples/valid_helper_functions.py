# Find a free conference room, with a helper function and a try/except.
def room_is_free(room):
    go_to(room)
    return not is_in_room("person")


def task_program():
    start = get_current_location()
    free = None
    for room in get_all_rooms():
        if "conference" in room.lower() and room_is_free(room):
            free = room
            break
    go_to(start)
    try:
        count = int("3")
    except ValueError:
        count = 0
    if free is None:
        say("No conference room is free")
    else:
        say("{} is free for {} people".format(free, count))
