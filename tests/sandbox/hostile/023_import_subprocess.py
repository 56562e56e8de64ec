# attack: import subprocess and run a command, disguised as a status check
# expect: rejected
# static: yes
import subprocess


def task_program():
    status = subprocess.run(["touch", "PWNED_023"], capture_output=True)
    go_to("charging station")
    say("status " + str(status.returncode))
