# class: cross-candidate effect / stalled batch: a child that got past the Python layer starves the spare waiting beside it (same uid `nobody`): SCHED_IDLE, nice 19, the lowest I/O priority, pinned to the first CPU (a busy core runs it only when nothing else wants it: the next candidate waits past the watchdog); also its process group and every process of its uid at once (PRIO_PGRP, PRIO_USER) | stopped by: OS isolation (seccomp: scheduling, priority and I/O priority only for the process itself)
# mode: job
# expect: no-escape
import ctypes
import errno
import os
import time

libc = ctypes.CDLL(None, use_errno=True)
SYS_IOPRIO_SET, IOPRIO_WHO_PROCESS, IOPRIO_WHO_USER, IDLE = 251, 1, 3, (3 << 13) | 7


def siblings():
    me, zygote, found = os.getpid(), os.getppid(), []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in (me, zygote):
            try:
                state, ppid = open(f"/proc/{name}/stat").read().rsplit(")", 1)[1].split()[:2]
                uid = next(ln.split()[1] for ln in open(f"/proc/{name}/status") if ln.startswith("Uid:"))
                # not the last candidate, exited and not yet reaped; and of our uid: a spare still being
                # forked is root until its confinement (every call on it fails whatever the filter says)
                if int(ppid) == zygote and state != "Z" and int(uid) == os.getuid():
                    found.append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    return found


def attempt(fn) -> str:
    try:
        fn()
    except OSError as e:
        return errno.errorcode[e.errno]
    return "ok"


def ioprio(which, who) -> None:
    if libc.syscall(SYS_IOPRIO_SET, which, who, IDLE) != 0:
        raise OSError(ctypes.get_errno(), "ioprio_set")


deadline = time.monotonic() + TASK.get("wait", 1.0)
while not siblings() and time.monotonic() < deadline:
    time.sleep(0.01)
done = {}
for pid in siblings():
    done[pid] = {"sched_setscheduler": attempt(lambda: os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))),
                 "setpriority": attempt(lambda: os.setpriority(os.PRIO_PROCESS, pid, 19)),
                 "sched_setaffinity": attempt(lambda: os.sched_setaffinity(pid, {min(os.sched_getaffinity(0))})),
                 "ioprio_set": attempt(lambda: ioprio(IOPRIO_WHO_PROCESS, pid))}
done["group"] = {"setpriority_pgrp": attempt(lambda: os.setpriority(os.PRIO_PGRP, 0, 19)),
                 "setpriority_user": attempt(lambda: os.setpriority(os.PRIO_USER, 0, 19)),
                 "ioprio_user": attempt(lambda: ioprio(IOPRIO_WHO_USER, 0))}
RESULT["message"] = f"siblings starved: {done}"
