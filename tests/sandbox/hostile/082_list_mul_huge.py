# attack: allocate an 80 GB list ([0] * 10**10)
# expect: rejected
def task_program():
    slots = [0] * 10**10
    go_to("kitchen")
    say(str(len(slots)))
