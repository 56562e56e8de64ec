# attack: suspended generators whose `finally` spins when they are closed/collected (no dunders needed)
# expect: contained
PENDING = []


def task_program():
    def guard():
        try:
            yield "armed"
        finally:
            while True:
                try:
                    while True:
                        pass
                except BaseException:
                    pass

    kept = guard()
    next(kept)
    PENDING.append(kept)
    local = guard()
    next(local)
    go_to("kitchen")
    say("done")
