# attack: clear f_trace on every frame reachable from a generator (disables settrace-based step budgets), then spin
# expect: rejected
def task_program():
    def untrace():
        f = g.gi_frame
        while f is not None:
            f.f_trace = None
            f.f_trace_lines = False
            f = f.f_back
        yield

    g = untrace()
    next(g)
    go_to("kitchen")
    while True:
        pass
