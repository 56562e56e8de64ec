# attack: str.format called unbound with a dunder field
# expect: rejected
def task_program():
    text = str.format("{0.__class__.__base__.__subclasses__}", say)
    say(text[:200])
    go_to("kitchen")
