# attack: globals() to rebind robot API names by string key
# expect: rejected
def task_program():
    globals()["go_to"] = lambda location: None
    go_to("the vault")
    say("inside")
