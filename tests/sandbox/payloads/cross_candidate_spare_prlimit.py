# class: cross-candidate effect / forged verdict: a child that got past the Python layer sets the resource limits of the spare waiting beside it (same uid `nobody`: prlimit64 needs no more), its address space to what it has now (no new mapping): the next candidate's program fails with "memory limit exceeded" (an invalid verdict for a valid program) | stopped by: OS isolation (seccomp: prlimit64 only on the process itself)
# mode: job
# expect: no-escape
import errno
import os
import resource
import time


def siblings():
    me, zygote, found = os.getpid(), os.getppid(), []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in (me, zygote):
            try:
                fields = open(f"/proc/{name}/stat").read().rsplit(")", 1)[1].split()
                if int(fields[1]) == zygote and fields[0] != "Z":  # not the last candidate, exited, not reaped
                    found.append((int(name), int(fields[20])))  # pid, its address space now (vsize)
            except (OSError, ValueError, IndexError):
                pass
    return found


deadline = time.monotonic() + TASK.get("wait", 1.0)
while not siblings() and time.monotonic() < deadline:
    time.sleep(0.01)
done = {}
for pid, size in siblings():
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (size, size))  # no new mapping
        done[pid] = "ok"
    except OSError as e:
        done[pid] = errno.errorcode[e.errno]
RESULT["message"] = f"siblings limited: {done}"
