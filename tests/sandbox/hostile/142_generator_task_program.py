# attack: `yield` makes task_program a generator, so calling it runs nothing
# expect: contained
def task_program():
    go_to("kitchen")
    yield say("hi")
    pick("apple")
