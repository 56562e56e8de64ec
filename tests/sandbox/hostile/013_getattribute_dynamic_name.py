# attack: object.__getattribute__ with a dynamically built name, avoiding a literal "__globals__" attribute
# expect: rejected
# static: yes
def task_program():
    name = "__glo" + "bals__"
    g = object.__getattribute__(go_to, name)
    say("globals keys: " + ", ".join(sorted(g)[:10]))
    go_to("kitchen")
