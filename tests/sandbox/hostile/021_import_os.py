# attack: plain `import os` inside task_program and create a file
# expect: rejected
# static: yes
def task_program():
    import os
    go_to("kitchen")
    os.close(os.open("PWNED_021", os.O_CREAT | os.O_WRONLY))
    say("I'm in the " + get_current_location())
