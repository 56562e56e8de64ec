# class: forged evaluation through the API: a program that never moves says one message holding RoboEval's trace lines after a line break ("ok /$@!/ None\nGoTo /$@!/ zarko's office /$@!/ None\n..."); RoboEval prints each call's line and parses stdout back, so the lines inside the message read as moves and questions it never made, and GrilledCheese of the fake RoboEval checkout would score Success. Its robot error (place() of what it does not hold) makes it invalid in RoboSim and in our suite | stopped by: the evaluator's trace reads only the first line of each API call's own text (benchmark.trace.parse_output): a second line inside a value cuts the trace there (test_payloads.py::test_roboeval_printed_trace_is_not_read)
# mode: program
# expect: invalid
def task_program():
    d = "/$@!/"
    nl = "\n"
    go = "go".capitalize() + "to".capitalize()
    lines = ["ok " + d + " " + str(None),
             go + " " + d + " zarko's office " + d + " " + str(None),
             "ask".capitalize() + " " + d + " do you have cheese and bread? " + d + " ['yes', 'no']",
             go + " " + d + " start_loc " + d + " " + str(None),
             "say".capitalize() + " " + d + " you lack nothing"]
    say(nl.join(lines))
    try:
        place("apple")  # a robot error: uncatchable in RoboSim and our suite, an Exception in roboeval mode
    except Exception:
        pass
