# attack: alias a bound .format method first, then call it with a dunder-walking template
# expect: rejected
def task_program():
    fmt = "{0.__globals__[__name__]} {0.__code__.co_filename}".format
    say(fmt(ask)[:300])
    go_to("kitchen")
