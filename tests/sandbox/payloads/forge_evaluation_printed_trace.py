# class: forged evaluation through the Python layer: a program that never moves prints RoboEval's trace lines itself ("GoTo /$@!/ ... /$@!/ None", quoted strings lower-cased, so kinds are built at run time); in roboeval mode the trace is parsed from the same stdout, so under RoboEval's own evaluator GrilledCheese of the fake RoboEval checkout scores Success. Here its robot error (place() of what it does not hold) makes it invalid in RoboSim and in our suite | stopped by: the evaluator's trace is the API's own lines only (benchmark.trace.parse_output, in the parent's replay): printed text cuts the trace, never adds to it, so the printed moves are not read (test_payloads.py::test_roboeval_printed_trace_is_not_read)
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
