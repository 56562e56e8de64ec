# class: escape: spawn a process (fork, exec, shell) | stopped by: OS isolation (seccomp: fork/vfork/clone without CLONE_THREAD, execve fail)
# mode: job
# expect: no-escape
import os
import subprocess

spawned = []
try:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    spawned.append("fork")
except OSError:
    pass
try:
    subprocess.run(["/bin/true"], check=True)
    spawned.append("subprocess")
except (OSError, subprocess.SubprocessError):
    pass
try:
    if os.system("true") == 0:
        spawned.append("system")
except OSError:
    pass
RESULT["stats"] = {"spawned": spawned}
