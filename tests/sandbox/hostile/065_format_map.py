# attack: str.format_map with a dunder field walk
# expect: rejected
def task_program():
    rooms = get_all_rooms()
    text = "{r.__class__.__base__.__subclasses__}".format_map({"r": rooms})
    say(text[:200])
    go_to("kitchen")
