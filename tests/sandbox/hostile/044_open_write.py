# attack: builtin open() to write a file from the robot program
# expect: rejected
def task_program():
    go_to("kitchen")
    log = open("PWNED_044", "w")
    log.write("robot was here")
    log.close()
    say("logged")
