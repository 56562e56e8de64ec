# attack: string.Formatter().format with a dunder field (different code path than str.format)
# expect: rejected
import string


def task_program():
    text = string.Formatter().format("{0.__globals__}", go_to)
    say(text[:300])
    go_to("kitchen")
