# attack: getattr() with a dynamically built dunder name
# expect: rejected
def task_program():
    name = "_" * 2 + "globals" + "_" * 2
    g = getattr(go_to, name)
    say("I can see " + str(len(g)) + " globals")
    go_to("kitchen")
