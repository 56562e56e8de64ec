# attack: `import time as os` then call os.system -- confuse name-based checks; must fail, not silently pass
# expect: rejected
import time as os


def task_program():
    go_to("kitchen")
    os.system("touch PWNED_029")
    say("Done")
