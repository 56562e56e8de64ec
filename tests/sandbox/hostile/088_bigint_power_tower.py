# attack: big-int CPU bomb 10**10**8 (one uninterruptible C-level computation)
# expect: rejected
def task_program():
    go_to("kitchen")
    n = 10**10**8
    say("computed " + str(n % 10))
