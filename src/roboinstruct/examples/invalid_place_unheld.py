# Bug: searches the rooms for the stapler and breaks when found, then places it
# unconditionally - on the path where no room has a stapler, nothing is held.
def task_program():
    start = get_current_location()
    for room in get_all_rooms():
        go_to(room)
        if is_in_room("stapler"):
            pick("stapler")
            break
    go_to(start)
    place("stapler")
