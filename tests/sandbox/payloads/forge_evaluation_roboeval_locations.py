# class: evaluator record seam (roboeval mode, where get_all_rooms() hands out the world's own list): mutate the map so the child's and the parent's differ where the record cannot see it (a nested list changed in place, which the child's shallow "locations" check misses; NaN, never equal to itself; aliasing after clear()), hoping the parent's replayed go_to()/get_all_rooms() judge another map than the child ran | stopped by: the judge apart (benchmark.replay: a nested list is not a location on either side, answers are compared, JSON's NaN is one object): the parent's verdict is the in-process one (test_payloads.py::test_roboeval_record_seams_agree)
# mode: program
# expect: invalid
def task_program():
    rooms = get_all_rooms()
    inner = ["x"]
    rooms.insert(0, inner)
    rooms.append(float("nan"))
    say("a")
    inner[0] = "zarko's office"
    try:
        go_to("zarko's office")
    except Exception:
        say("b")
    say(str(len(get_all_rooms())))
    rooms.clear()
    rooms.append("zarko's office")
    go_to("zarko's office")
    place("apple")  # not held: a robot error everywhere
