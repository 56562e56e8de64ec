# class: cross-candidate effect (as a user): bubblewrap's PID-1 reaper ran with the user's uid, dumpable and without seccomp, and held the zygote's job stream (fd 0) and the parent's reply stream (fd 1); a child that got past the Python layer opened /proc/1/fd/0 for writing and put a frame of its own in the job stream (a shared value redefined: every later candidate of that zygote ran on it), and could open /proc/1/mem (code outside seccomp, for the zygote's life) | stopped by: OS isolation (bubblewrap --as-pid-1: the zygote, non-dumpable, is PID 1; no reaper; as root the reaper was root's)
# mode: job
# expect: no-escape
import json
import os
import time

found = {}
time.sleep(0.2)  # after the zygote read this job's nonce: the frame is read as the next message
try:
    stream = os.open("/proc/1/fd/0", os.O_WRONLY)
except OSError as e:
    found["stream"] = e.strerror
else:
    body = json.dumps({"define": 0, "value": {"poisoned": True}}).encode()
    os.write(stream, b"%010d" % len(body) + body)
    found["stream"] = "written"
try:
    open("/proc/1/mem", "r+b").close()
    found["mem"] = "opened"
except OSError as e:
    found["mem"] = e.strerror
RESULT["message"] = json.dumps(found)
