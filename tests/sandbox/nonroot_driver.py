"""Run by test_nonroot.py inside `unshare --user` (uid 1000 there, no capability on the host): a pool
started by a user who is not root, and what its candidate children see and can do. Prints one JSON line.

argv: the fake home (also $HOME), then "without-home-binds" or "without-runtime-binds" to take that layer
away (the second hides $XDG_RUNTIME_DIR: a payload's task names it as "runtime"), "with-reaper" to
start zygotes under bubblewrap's own PID-1 reaper again (no --as-pid-1), "writable-dev" to leave its /dev
writable, and "payload=PATH" to run a job payload (payload_job.py) twice between two honest verifications
on one zygote instead of the probes.
"""

from __future__ import annotations

import json
import os
import sys

from roboinstruct.sandbox import WorkerPool, isolation, views

home, flags = sys.argv[1], sys.argv[2:]
PLACES = ["/tmp", "/dev/shm", "/var/tmp", "/dev"]  # as a user, /dev was bubblewrap's tmpfs of the user's
if "without-home-binds" in flags:
    views.home_binds = lambda: []
if "without-runtime-binds" in flags:
    views.runtime_binds = lambda: []
if "with-reaper" in flags:
    bwrap_command = isolation._bwrap_command
    isolation._bwrap_command = lambda: (lambda cmd, why: ([a for a in cmd if a != "--as-pid-1"] if cmd else cmd, why))(
        *bwrap_command())
if "writable-dev" in flags:
    bwrap_dev = isolation._bwrap_command

    def _writable_dev():
        cmd, why = bwrap_dev()
        at = next(i for i in range(len(cmd)) if cmd[i:i + 2] == ["--remount-ro", "/dev"])
        return cmd[:at] + cmd[at + 2:], why

    isolation._bwrap_command = _writable_dev
payload = next((f.partition("=")[2] for f in flags if f.startswith("payload=")), None)
if payload:
    from roboinstruct.domain import load_domain
    from roboinstruct.robosim.verifier import judged, verification_task
    from test_payloads import BYSTANDER

    dom = load_domain()
    honest = verification_task(BYSTANDER, dom, 0, 20, {})
    attack = {"job": "payload_job:run", "source": open(payload).read(), "name": os.path.basename(payload),
              "runtime": os.environ.get("XDG_RUNTIME_DIR")}
    with WorkerPool(workers=1) as pool:
        got = dict(pool.run([honest, attack, attack, honest]))
    jobs = [judged(got[0], honest, dom).to_dict(), got[1], got[2], judged(got[3], honest, dom).to_dict()]
else:
    paths = [os.path.join(home, p) for p in (".ssh/id_rsa", ".netrc", "project/asset.txt", "data/asset.txt")]
    with WorkerPool(workers=1) as pool:
        got = dict(pool.run([{"job": "confinement_job:read_files", "paths": paths, "home": home},
                             {"job": "confinement_job:probe", "host_file": __file__},
                             {"job": "confinement_job:numerics"},
                             {"job": "confinement_job:leave", "tag": "nonroot", "places": PLACES},
                             {"job": "confinement_job:look", "tag": "nonroot", "places": PLACES}]))
    jobs = [got[i] for i in range(5)]
print(json.dumps({"uid": os.getuid(), "missing": isolation.status().missing, "jobs": jobs}, default=str))
