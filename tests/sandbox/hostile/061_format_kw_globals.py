# attack: "{x.__globals__}".format(x=go_to) leaks the API module's globals (simulator state)
# expect: rejected
def task_program():
    leak = "{x.__globals__}".format(x=go_to)
    say(leak[:500])
    go_to("kitchen")
