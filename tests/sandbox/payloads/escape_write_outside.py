# class: escape: write a file outside the sandbox | stopped by: OS isolation (read-only root mount; private read-only /tmp)
# mode: job
# expect: no-escape
import os

for where in (TASK["sink"], "/tmp", "/dev/shm", "/var/tmp", os.path.expanduser("~")):
    try:
        with open(os.path.join(where, "PWNED_write"), "w") as f:
            f.write("escaped")
    except OSError:
        pass
