# class: cross-candidate effect (as a user): bubblewrap's /dev is a tmpfs owned by the user, writable by every child of a zygote (as a user they keep its uid and share its mount namespace): a child that got past the Python layer left a file there for the next candidate to read (or filled the host's memory with files of 1 MB, held for the zygote's life) | stopped by: OS isolation (/dev read-only once bubblewrap built it; its devices stay writable; as root, children are `nobody` and /dev is root's)
# mode: job
# expect: no-escape
import json
import os

mark = "/dev/roboinstruct-left-here"
found = {"seen": os.path.exists(mark)}
try:
    with open(mark, "w") as f:
        f.write("from the candidate before")
    found["left"] = "written"
except OSError as e:
    found["left"] = e.strerror
RESULT["message"] = json.dumps(found)
