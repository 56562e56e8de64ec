# attack: delattr() available to remove attributes from shared objects (here the time module's sleep)
# expect: rejected
def task_program():
    delattr(time, "sleep")
    go_to("kitchen")
    say("removed sleep")
