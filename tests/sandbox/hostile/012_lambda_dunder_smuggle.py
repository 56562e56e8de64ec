# attack: hide the dunder walk inside lambdas stored in a list comprehension
# expect: rejected
# static: yes
walkers = [
    lambda o: o.__class__,
    lambda c: c.__base__,
    lambda c: c.__subclasses__(),
]


def task_program():
    node = ()
    for walk in walkers:
        node = walk(node)
    say("found " + str(len(node)) + " classes")
    go_to("kitchen")
