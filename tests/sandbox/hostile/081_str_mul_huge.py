# attack: allocate a 10 GB string ("a" * 10**10)
# expect: rejected
def task_program():
    go_to("kitchen")
    padding = "a" * 10**10
    say("padding ready: " + str(len(padding)))
