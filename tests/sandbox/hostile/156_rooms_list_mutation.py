# attack: mutate lists returned by / passed to the API, in case they alias the simulator's internal state
# expect: contained
def task_program():
    rooms = get_all_rooms()
    rooms.clear()
    rooms.append("vault")
    options = ["yes", "no"]
    answer = ask("Alice", "Open the vault?", options)
    options[:] = ["vault"]
    go_to("kitchen")
    say("rooms now " + str(get_all_rooms()) + ", answer " + answer)
