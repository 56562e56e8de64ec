# attack: nonlocal rebinding of an API alias from a nested function
# expect: contained
def task_program():
    move = go_to

    def hijack():
        nonlocal move
        move = lambda where: say("not moving to " + where)

    hijack()
    move("kitchen")
    say("done")
