"""`--executor ray`: the verification stage fanned out over a Ray cluster.

Each Ray task verifies a chunk of programs inside that node's own sandbox worker (the same
JSON-speaking subprocess as locally), so untrusted code never runs in a Ray worker itself.
Connects to RAY_ADDRESS when set, otherwise starts a local Ray.
"""

from __future__ import annotations

import os

from ..domain import Domain
from ..robosim import Verdict

CHUNK = 16


def _verify_chunk(programs: list[str], domain_raw: dict, domain_source: str, seed: int, paths: int,
                  options: dict) -> list[dict]:
    from roboinstruct.domain import parse_domain
    from roboinstruct.robosim import verify_many

    dom = parse_domain(domain_raw, domain_source)
    return [v.to_dict() for v in verify_many(programs, dom, seed=seed, paths=paths, workers=1, **options)]


def verify_on_ray(programs: list[str], domain: Domain, *, seed: int = 0, paths: int = 1000,
                  chunk: int = CHUNK, **options) -> list[Verdict]:
    try:
        import ray
    except ImportError:
        from ..errors import UserError

        raise UserError("--executor ray needs Ray: pip install 'roboinstruct[cluster]'") from None
    if not ray.is_initialized():
        ray.init(address=os.environ.get("RAY_ADDRESS") or None, include_dashboard=False,
                 ignore_reinit_error=True, log_to_driver=False)
    remote = ray.remote(_verify_chunk)
    futures = [remote.remote(programs[i:i + chunk], domain.raw, domain.source, seed, paths, options)
               for i in range(0, len(programs), chunk)]
    return [Verdict.from_dict(d) for part in ray.get(futures) for d in part]
