# attack: a NUL byte inside the source text (compile() raises ValueError on 3.10/3.11, SyntaxError later)
# expect: rejected
# static: syntax
# transform: nul
def task_program():
    go_to("kitchen")<<NUL>>
    say("hi")
