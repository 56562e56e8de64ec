# class: cross-candidate effect / lost verdict: a child that got past the Python layer stops the spare waiting beside it (the next candidate's child, same uid `nobody`) with a signal that is not kill(): a pipe's SIGIO, made SIGSTOP by F_SETSIG, owned by the spare (fcntl F_SETOWN, also with the command's upper 32 bits set, which the kernel drops); the next candidate then hangs until the watchdog | stopped by: OS isolation (seccomp: fcntl F_SETOWN/F_SETOWN_EX/F_SETSIG fail with EPERM, compared on the command's 32 bits)
# mode: job
# expect: no-escape
import ctypes
import errno
import fcntl
import os
import signal
import time

F_SETSIG, SYS_FCNTL = 10, 72
libc = ctypes.CDLL(None, use_errno=True)


def siblings():
    """The zygote's other children (a spare waits there while spares are on): pids in its PID namespace."""
    me, zygote, found = os.getpid(), os.getppid(), []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in (me, zygote):
            try:
                state, ppid = open(f"/proc/{name}/stat").read().rsplit(")", 1)[1].split()[:2]
                if int(ppid) == zygote and state != "Z":  # not the last candidate, exited and not yet reaped
                    found.append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    return found


deadline = time.monotonic() + TASK.get("wait", 1.0)
while not siblings() and time.monotonic() < deadline:
    time.sleep(0.01)
done = {}
for pid in siblings():
    r, w = os.pipe()
    try:
        fcntl.fcntl(r, fcntl.F_SETOWN, pid)
        done[pid] = "F_SETOWN ok"
    except OSError as e:
        done[pid] = errno.errorcode[e.errno]
        # the same command with bits the kernel ignores (it reads `unsigned int cmd`)
        if libc.syscall(SYS_FCNTL, r, (1 << 32) | fcntl.F_SETOWN, pid) == 0:
            done[pid] += ", wide F_SETOWN ok"
    try:
        fcntl.fcntl(r, F_SETSIG, int(TASK.get("signal", signal.SIGSTOP)))
        fcntl.fcntl(r, fcntl.F_SETFL, os.O_ASYNC | os.O_NONBLOCK)
        os.write(w, b"x")  # the read end becomes readable: its owner gets the signal
    except OSError as e:
        done[pid] += f", then {errno.errorcode[e.errno]}"
RESULT["message"] = f"siblings signalled: {done}"
