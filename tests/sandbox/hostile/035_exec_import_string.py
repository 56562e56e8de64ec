# attack: exec() a string that imports os -- no import statement in the AST
# expect: rejected
def task_program():
    go_to("kitchen")
    exec("import os\nos.close(os.open('PWNED_035', os.O_CREAT | os.O_WRONLY))")
    say("done")
