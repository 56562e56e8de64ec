"""Run by test_nonroot.py inside `unshare --user` (uid 1000 there, no capability on the host): a pool
started by a user who is not root, and what its candidate children see and can do. Prints one JSON line.

argv: the fake home (also $HOME), then "without-home-binds" to take that layer away, "with-reaper" to
start zygotes under bubblewrap's own PID-1 reaper again (no --as-pid-1), and "payload=PATH" to run a
job payload (payload_job.py) between two honest verifications on one zygote instead of the probes.
"""

from __future__ import annotations

import json
import os
import sys

from roboinstruct.sandbox import WorkerPool, isolation, views

home, flags = sys.argv[1], sys.argv[2:]
if "without-home-binds" in flags:
    views.home_binds = lambda: []
if "with-reaper" in flags:
    bwrap_command = isolation._bwrap_command
    isolation._bwrap_command = lambda: (lambda cmd, why: ([a for a in cmd if a != "--as-pid-1"] if cmd else cmd, why))(
        *bwrap_command())
payload = next((f.partition("=")[2] for f in flags if f.startswith("payload=")), None)
if payload:
    from roboinstruct.domain import load_domain
    from roboinstruct.robosim.verifier import judged, verification_task
    from test_payloads import BYSTANDER

    dom = load_domain()
    honest = verification_task(BYSTANDER, dom, 0, 20, {})
    tasks = [honest, {"job": "payload_job:run", "source": open(payload).read(), "name": os.path.basename(payload)},
             honest]
    with WorkerPool(workers=1) as pool:
        got = dict(pool.run(tasks))
    jobs = [judged(got[0], honest, dom).to_dict(), got[1], judged(got[2], honest, dom).to_dict()]
else:
    paths = [os.path.join(home, p) for p in (".ssh/id_rsa", ".netrc", "project/asset.txt", "data/asset.txt")]
    with WorkerPool(workers=1) as pool:
        got = dict(pool.run([{"job": "confinement_job:read_files", "paths": paths, "home": home},
                             {"job": "confinement_job:probe", "host_file": __file__},
                             {"job": "confinement_job:numerics"},
                             {"job": "confinement_job:leave", "tag": "nonroot"},
                             {"job": "confinement_job:look", "tag": "nonroot"}]))
    jobs = [got[i] for i in range(5)]
print(json.dumps({"uid": os.getuid(), "missing": isolation.status().missing, "jobs": jobs}, default=str))
