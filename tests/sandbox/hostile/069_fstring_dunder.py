# attack: f-string with a dunder attribute expression
# expect: rejected
# static: yes
def task_program():
    say(f"{go_to.__globals__}"[:300])
    go_to("kitchen")
