# class: cross-candidate effect / forged verdict: a child that got past the Python layer, run in a spare that warmed up (the job function's trusted `warm`, after its confinement, before its job), looks for what the warm-up left in its process: a live nonce (its own job's, to sign a reply its zygote would pass on as another's), a descriptor of its zygote or of another candidate, the previous job's task | stopped by: the spare's order (confined before it warms up; forked before its zygote reads the job's nonce: only spent nonces are in its memory) and its descriptors (its two pipes; the job pipe closed once read). What it can read is the previous candidate's task (its program text, no secret): reported
# mode: job
# expect: no-escape
import gc
import os
import re
import sys

gc.unfreeze()  # what the zygote froze (its own state, the previous job's task) is listed too
hexes, tasks = set(), []
for obj in gc.get_objects():
    if isinstance(obj, dict) and "source" in obj and "secrets" in obj and obj.get("name") != TASK.get("name"):
        tasks.append(str(obj.get("name")))
    for value in (obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (list, tuple)) else ()):
        if isinstance(value, (str, bytes)) and len(value) == 32 and re.fullmatch(rb"[0-9a-f]{32}", value if
                                                                              isinstance(value, bytes) else value.encode()):
            hexes.add(value if isinstance(value, str) else value.decode())
fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
# only a spare that warmed up has run the verifier here: its compile cache holds the warm-up's program
explore = sys.modules.get("roboinstruct.robosim.explore")
RESULT["stats"] = {"hex": sorted(hexes), "fds": fds, "previous_tasks": sorted(set(tasks)),
                   "warmed": bool(explore and explore._CACHE._items)}
