"""Fan-out over a Ray cluster, for every domain's verifier (`--executor ray`).

Each Ray task runs one chunk through the caller's function, which verifies inside that node's
own sandbox workers (the same JSON-speaking subprocesses as locally), so untrusted code never
runs in a Ray worker itself. Connects to RAY_ADDRESS when set, otherwise starts a local Ray.
"""

from __future__ import annotations

import os
from collections.abc import Callable


def ray_map(fn: Callable[..., list], items: list, chunk: int, *args) -> list:
    """`fn(items[i:i + chunk], *args)` for every chunk on Ray, concatenated in order."""
    try:
        import ray
    except ImportError:
        from .errors import UserError

        raise UserError("--executor ray needs Ray: pip install 'roboinstruct[cluster]'") from None
    if not ray.is_initialized():
        ray.init(address=os.environ.get("RAY_ADDRESS") or None, include_dashboard=False,
                 ignore_reinit_error=True, log_to_driver=False)
    remote = ray.remote(fn)
    futures = [remote.remote(items[i:i + chunk], *args) for i in range(0, len(items), chunk)]
    return [d for part in ray.get(futures) for d in part]
