# attack: running generator's gi_frame.f_back chain up into the verifier's frames, take their real f_builtins
# expect: rejected
def task_program():
    go_to("kitchen")

    def climb():
        frames = []
        f = gen.gi_frame
        while f is not None:
            frames.append(f)
            f = f.f_back
        yield frames

    gen = climb()
    for frame in next(gen):
        b = frame.f_builtins
        if "open" in b:
            b["open"]("PWNED_071", "w").close()
            break
    say("climbed")
