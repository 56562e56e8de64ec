# attack: side effect hidden in a return annotation (evaluated at def time unless annotations are postponed)
# expect: contained
def task_program() -> open("PWNED_158", "w"):
    go_to("kitchen")
    say("hi")
