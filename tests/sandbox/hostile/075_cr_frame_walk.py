# attack: a running coroutine's cr_frame.f_back chain reaches the verifier's frames and their builtins
# expect: rejected
def task_program():
    async def climb():
        f = co.cr_frame
        while f is not None:
            b = f.f_builtins
            if "open" in b:
                b["open"]("PWNED_075", "w").close()
                return True
            f = f.f_back
        return False

    co = climb()
    try:
        co.send(None)
    except StopIteration:
        pass
    go_to("kitchen")
    say("done")
