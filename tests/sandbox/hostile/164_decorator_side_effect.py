# attack: arbitrary decorator expression with a side effect, evaluated at definition time
# expect: rejected
@(lambda fn: [open("PWNED_164", "w"), fn][1])
def task_program():
    go_to("kitchen")
    say("hi")
