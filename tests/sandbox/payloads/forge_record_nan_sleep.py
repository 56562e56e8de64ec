# class: record values whose JSON round trip is not equality: time.sleep(nan) and time.sleep(inf) (kept raw in the record) make the clock NaN/inf in the child and the parent, then a failing call, hoping NaN != NaN makes the parent's comparison of recorded answers misjudge the path | stopped by: the judge apart (robosim.replay: the same sleeps on the parent's simulator, the API's own error on place(); results carry no floats)
# mode: program
# expect: invalid
import time


def task_program():
    time.sleep(float("nan"))
    time.sleep(float("inf"))
    go_to(get_current_location())
    if is_in_room("apple"):
        say("found")
    place("apple")
