# attack: unbounded recursion (def f(): return f())
# expect: rejected
def search(room):
    return search(room)


def task_program():
    go_to("kitchen")
    say(search("kitchen"))
