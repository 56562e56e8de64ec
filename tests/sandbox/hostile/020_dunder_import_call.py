# attack: call __import__('os') directly by name
# expect: rejected
# static: yes
def task_program():
    go_to("kitchen")
    os = __import__("os")
    os.close(os.open("PWNED_020", os.O_CREAT | os.O_WRONLY))
    say("Done")
