# Check every classroom for a whiteboard and report the ones that lack one.
def task_program():
    start = get_current_location()
    missing = []
    for room in get_all_rooms():
        if "classroom" not in room:
            continue
        go_to(room)
        if not is_in_room("whiteboard"):
            missing.append(room)
    go_to(start)
    if missing:
        say("These classrooms have no whiteboard: " + ", ".join(missing))
    else:
        say("Every classroom has a whiteboard")
