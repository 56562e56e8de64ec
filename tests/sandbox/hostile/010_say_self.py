# attack: if API functions are bound methods, say.__self__ is the simulator object (else fall back to __globals__)
# expect: rejected
# static: yes
def task_program():
    target = say.__self__ if hasattr(say, "__self__") else say.__globals__
    say("simulator is " + repr(target)[:100])
    go_to("kitchen")
