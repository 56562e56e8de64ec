# class: hidden robot error (RecursionError raised inside an API call, caught by the program) | stopped by: api guard (sandbox.execution.api_callable: recursion headroom, any exception inside the API is a RobotError)
# mode: program
# expect: invalid
def task_program():
    for k in (2, 3, 4):
        depth = [0]

        def probe(n):
            try:
                probe(n + 1)
            except RecursionError:
                if depth[0] == 0:
                    depth[0] = n
            if n == depth[0] - k:
                try:
                    place("apple")  # not holding it: a robot error, unless it is hidden
                except RecursionError:
                    pass

        probe(0)
    say("done")
