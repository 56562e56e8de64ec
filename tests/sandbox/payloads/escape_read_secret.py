# class: escape: read a secret into the verdict | stopped by: OS isolation (uid nobody: a root-only file; private /tmp: a world-readable one in the host's /tmp)
# mode: job
# expect: no-escape
found = []
for path in TASK["secrets"]:
    try:
        with open(path) as f:
            found.append(f.read())
    except OSError:
        pass
RESULT["message"] = "read: " + " ".join(found)
