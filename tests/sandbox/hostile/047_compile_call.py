# attack: builtin compile() to build a code object
# expect: rejected
def task_program():
    code = compile("x = 1 + 1", "<robot>", "exec")
    say("compiled " + repr(code))
    go_to("kitchen")
