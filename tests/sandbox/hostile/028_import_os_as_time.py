# attack: `import os as time` -- alias a forbidden module under an allowed name
# expect: rejected
# static: yes
import os as time


def task_program():
    go_to("kitchen")
    time.close(time.open("PWNED_028", time.O_CREAT | time.O_WRONLY))
    say("Done")
