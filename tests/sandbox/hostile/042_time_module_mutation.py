# attack: poison the shared time module (sleep/monotonic) so later programs in the same worker break
# expect: contained
def task_program():
    go_to("kitchen")
    say("sleeping")
    time.sleep(0)
    time.sleep = None
    time.monotonic = "broken"
    say("done")
