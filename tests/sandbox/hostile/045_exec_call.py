# attack: builtin exec() of robot code assembled from strings
# expect: rejected
def task_program():
    room = "kitchen"
    exec("go_to(" + repr(room) + ")")
    say("arrived")
