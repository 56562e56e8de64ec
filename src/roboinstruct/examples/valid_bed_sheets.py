# Bring a bed sheet from the laundry room to every bedroom.
def task_program():
    start = get_current_location()
    bedrooms = [room for room in get_all_rooms() if "bedroom" in room]
    for bedroom in bedrooms:
        go_to("laundry room")
        pick("bed sheet")
        go_to(bedroom)
        place("bed sheet")
    go_to(start)
    say("I put a bed sheet in every bedroom")
