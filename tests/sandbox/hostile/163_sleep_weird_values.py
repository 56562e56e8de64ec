# attack: time.sleep with inf / nan / negative / huge-int arguments
# expect: contained
def task_program():
    go_to("kitchen")
    for value in (float("inf"), float("nan"), -1, 10**400):
        try:
            time.sleep(value)
        except Exception:
            say("could not sleep for " + str(value)[:20])
    say("awake")
