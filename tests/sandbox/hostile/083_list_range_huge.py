# attack: materialise list(range(10**10))
# expect: rejected
def task_program():
    numbers = list(range(10**10))
    go_to("kitchen")
    say("counted " + str(len(numbers)))
