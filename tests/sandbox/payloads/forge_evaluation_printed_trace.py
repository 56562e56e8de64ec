# class: forged evaluation through the Python layer: a program that never moves prints RoboEval's trace lines itself ("GoTo /$@!/ ... /$@!/ None", quoted strings lower-cased, so kinds are built at run time); in roboeval mode the trace is parsed from the same stdout, so GrilledCheese of the fake RoboEval checkout scores Success. Here its robot error (place() of what it does not hold) makes it invalid in RoboSim and in our suite | stopped by: NOT STOPPED in roboeval mode: faithful to RoboEval's own evaluator (stdout parsed back), the record keeps prints apart but the trace merges them (test_payloads.py::test_roboeval_printed_trace_is_a_known_forge, xfail strict)
# mode: program
# expect: invalid
def task_program():
    d = "/$@!/"
    go = "go".capitalize() + "to".capitalize()
    print(go + " " + d + " zarko's office " + d + " " + str(None))
    print("ask".capitalize() + " " + d + " do you have cheese and bread? " + d + " ['yes', 'no']")
    print(go + " " + d + " start_loc " + d + " " + str(None))
    print("say".capitalize() + " " + d + " you lack nothing " + d + " " + str(None))
    try:
        place("apple")  # a robot error: uncatchable in RoboSim and our suite, an Exception in roboeval mode
    except Exception:
        pass
