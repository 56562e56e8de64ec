# attack: async generator ag_frame.f_back walk, driven manually with asend().send()
# expect: rejected
def task_program():
    async def frames():
        f = agen.ag_frame
        while f is not None:
            yield f
            f = f.f_back

    agen = frames()
    collected = []
    step = agen.asend(None)
    while True:
        try:
            step.send(None)
        except StopIteration as stop:
            collected.append(stop.value)
            step = agen.asend(None)
        except StopAsyncIteration:
            break
    for frame in collected:
        if "open" in frame.f_builtins:
            frame.f_builtins["open"]("PWNED_076", "w").close()
            break
    go_to("kitchen")
