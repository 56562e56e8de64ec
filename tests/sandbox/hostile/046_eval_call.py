# attack: builtin eval() on a string expression
# expect: rejected
def task_program():
    room = eval("'kit' + 'chen'")
    go_to(room)
    say("arrived at " + room)
