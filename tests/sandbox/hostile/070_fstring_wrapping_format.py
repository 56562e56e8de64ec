# attack: dunder template hidden in a string constant, formatted inside an f-string
# expect: rejected
def task_program():
    room = get_current_location()
    say(f"status: {'{0.__class__.__mro__}'.format(room)}")
    go_to("kitchen")
