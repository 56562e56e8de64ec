# attack: setattr() to replace a function on the shared time module
# expect: rejected
def task_program():
    setattr(time, "sleep", lambda seconds: None)
    go_to("kitchen")
    time.sleep(100)
    say("slept")
