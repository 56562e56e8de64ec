# attack: read f_locals of the verifier frames above task_program (e.g. pre-chosen ask() answers) to cheat
# expect: rejected
def task_program():
    def peek():
        leaks = []
        f = g.gi_frame.f_back
        while f is not None:
            leaks.append(f.f_code.co_name + ": " + ", ".join(sorted(f.f_locals))[:200])
            f = f.f_back
        yield leaks

    g = peek()
    for line in next(g):
        say(line)
    go_to("kitchen")
