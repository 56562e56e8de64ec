"""Run by test_nonroot.py inside `unshare --user` (uid 1000 there, no capability on the host): a pool
started by a user who is not root, and what its candidate children see and can do. Prints one JSON line.

argv: the fake home (also $HOME), then "without-home-binds" to take that layer away.
"""

from __future__ import annotations

import json
import os
import sys

from roboinstruct.sandbox import WorkerPool, isolation, views

home = sys.argv[1]
if "without-home-binds" in sys.argv[2:]:
    views.home_binds = lambda: []
paths = [os.path.join(home, p) for p in (".ssh/id_rsa", ".netrc", "project/asset.txt", "data/asset.txt")]
with WorkerPool(workers=1) as pool:
    got = dict(pool.run([{"job": "confinement_job:read_files", "paths": paths, "home": home},
                         {"job": "confinement_job:probe", "host_file": __file__},
                         {"job": "confinement_job:numerics"},
                         {"job": "confinement_job:leave", "tag": "nonroot"},
                         {"job": "confinement_job:look", "tag": "nonroot"}]))
print(json.dumps({"uid": os.getuid(), "missing": isolation.status().missing, "jobs": [got[i] for i in range(5)]}))
