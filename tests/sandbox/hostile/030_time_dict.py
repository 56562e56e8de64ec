# attack: time.__dict__ / time.__loader__ on the provided time module
# expect: rejected
# static: yes
def task_program():
    d = time.__dict__
    say("time has " + str(len(d)) + " names, loader " + repr(time.__loader__))
    go_to("kitchen")
