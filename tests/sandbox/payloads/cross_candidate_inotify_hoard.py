# class: cross-candidate effect: a child that got past the Python layer creates inotify instances until refused and holds them (asleep: no CPU limit reached, until the watchdog); the kernel counts them per uid (max_user_instances, 128 by default), so every other process of that uid could create none: the `nobody` candidates of every pool slot as root, and as a user the user's own programs (editors, file watchers, its desktop) | stopped by: OS isolation (seccomp: inotify_init, inotify_init1 and fanotify_init fail with EPERM)
# mode: job
# expect: no-escape
import ctypes
import errno
import time

libc = ctypes.CDLL(None, use_errno=True)
held, why = [], "none"
time.sleep(TASK.get("wait", 0.0))
while len(held) < TASK.get("instances", 100000):
    fd = libc.inotify_init1(0)
    if fd < 0:
        why = errno.errorcode.get(ctypes.get_errno(), "?")
        break
    held.append(fd)
time.sleep(TASK.get("hold", 0.0))
RESULT["message"] = f"inotify instances: {len(held)}; refused: {why}"
