# class: cross-candidate effect / lost verdict: a child that got past the Python layer writes its reply frame itself (its zygote passes it on) and stays alive beside the candidates after it: named `rt-linger`, it waits until the next job's child runs, then tries to kill every sibling (F_SETOWN SIGKILL, refused by seccomp) and stays on (five such stall the zygote's blocking reap until the watchdog) | stopped by: the zygote kills a child once it has its reply (CAP_KILL in the zygote's bubblewrap; the child is `nobody`)
# mode: job
# expect: no-escape
import ctypes
import fcntl
import json
import os
import signal
import stat
import time

F_SETSIG, PR_SET_NAME = 10, 15
libc = ctypes.CDLL(None, use_errno=True)


def siblings():
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


def reply_pipe() -> int:
    for fd in sorted(int(f) for f in os.listdir("/proc/self/fd")):
        try:
            if fd > 2 and stat.S_ISFIFO(os.fstat(fd).st_mode) and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_WRONLY:
                return fd
        except OSError:
            pass
    raise OSError("no reply pipe")


w = reply_pipe()
body = json.dumps({"result": {"reference": {"rejected": ["PythonError", "lingering", None], "paths": []},
                              "strict": None}, "imported": []}).encode()
os.write(w, b"%010d" % len(body) + body)
os.close(w)
libc.prctl(PR_SET_NAME, b"rt-linger", 0, 0, 0)
end = time.monotonic() + TASK.get("stay", 3.0)
time.sleep(0.3)  # the next job's child is running now
while time.monotonic() < end:
    for pid in siblings():
        r, wr = os.pipe()
        try:
            fcntl.fcntl(r, fcntl.F_SETOWN, pid)
            fcntl.fcntl(r, F_SETSIG, signal.SIGKILL)
            fcntl.fcntl(r, fcntl.F_SETFL, os.O_ASYNC | os.O_NONBLOCK)
            os.write(wr, b"x")
        except OSError:
            pass
        os.close(r)
        os.close(wr)
    time.sleep(0.1)
