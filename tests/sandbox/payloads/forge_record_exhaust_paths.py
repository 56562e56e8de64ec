# class: path exhaustion and step budget: an invalid program whose failure only shows on a late random path, behind a branching loop that hits the step budget on other paths, hoping the record's path count, its exhaustion or a budget stop lets the parent pass it | stopped by: the judge apart (robosim.choices.Schedule: the parent runs the same schedule and counts the paths; a budget stop is the program's own failure)
# mode: program
# expect: invalid
def task_program():
    for room in get_all_rooms():
        go_to(room)
        if is_in_room("apple"):
            pick("apple")
            break
    n = 0
    while not is_in_room("person"):
        n += 1
        if n > 3:
            while True:
                say("waiting")  # the step budget, on the paths that get here
    place("banana")  # never picked
