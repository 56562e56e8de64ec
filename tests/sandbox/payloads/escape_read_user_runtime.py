# class: escape (as a user): children keep the user's uid, and the user's runtime directory ($XDG_RUNTIME_DIR, /run/user/UID) holds what is the user's alone (podman's registry login containers/auth.json, Kerberos caches): a child that got past the Python layer read it and carried it out in its verdict message | stopped by: OS isolation (as a user, the runtime directory an empty read-only tmpfs: views.runtime_binds; as root, children are `nobody`)
# mode: job
# expect: no-escape
import os

found = {}
tops = [os.environ.get("XDG_RUNTIME_DIR") or TASK.get("runtime") or "/nonexistent"]
if os.path.isdir("/run/user"):
    tops += [os.path.join("/run/user", d) for d in sorted(os.listdir("/run/user"))]
for top in tops:
    for folder, _, files in os.walk(top):
        for name in files:
            try:
                with open(os.path.join(folder, name)) as f:
                    found[os.path.join(folder, name)] = f.read(200)
            except (OSError, UnicodeDecodeError):
                pass
RESULT["message"] = repr(found)[:1000]
