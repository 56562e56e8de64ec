# class: escape: kill the zygote, the parent or every process of its uid (lose the batch) | stopped by: OS isolation (seccomp denies kill/tgkill; PID namespace)
# mode: job
# expect: no-escape
import os
import signal

for pid in (os.getppid(), -1, 1, TASK["parent_pid"]):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
