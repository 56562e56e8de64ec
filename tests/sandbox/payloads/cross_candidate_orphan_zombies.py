# class: cross-candidate effect: a child that got past the Python layer forks grandchildren that outlive it and then exit; reparented to the zygote (its namespace's PID 1) and never reaped, their zombies keep counting against the task limit of uid `nobody`, a few candidates of this kind and no later candidate could start a process or a thread | stopped by: OS isolation (seccomp: fork fails with EPERM); where seccomp is missing, the zygote reaps every exited child between jobs (worker._sweep)
# mode: job
# expect: no-escape
import os
import time

forked, why = 0, "none"
for _ in range(TASK.get("orphans", 16)):
    try:
        pid = os.fork()
    except OSError as e:
        why = e.strerror or str(e)
        break
    if pid == 0:  # the grandchild: outlives its parent, then exits (a zombie of whoever adopted it)
        time.sleep(TASK.get("linger", 0.3))
        os._exit(0)
    forked += 1
RESULT["message"] = f"orphans forked: {forked}; refused: {why}"
