# attack: vars(module) gives the full namespace of a module, bypassing attribute filters
# expect: rejected
def task_program():
    names = vars(time)
    say("time module exposes " + str(len(names)) + " names")
    go_to("kitchen")
