# attack: accept *args/**kwargs to capture whatever the verifier passes to task_program and leak it
# expect: contained
def task_program(*args, **kwargs):
    say("called with " + repr(args)[:200] + " " + repr(kwargs)[:200])
    for value in list(args) + list(kwargs.values()):
        say("got " + repr(value)[:100])
    go_to("kitchen")
