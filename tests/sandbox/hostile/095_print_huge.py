# attack: print a 100 MB string
# expect: contained
def task_program():
    go_to("kitchen")
    print("x" * 10**8)
    say("printed")
