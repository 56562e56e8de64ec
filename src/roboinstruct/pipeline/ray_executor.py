"""`--executor ray`: the verification stage fanned out over a Ray cluster (see `cluster`)."""

from __future__ import annotations

from ..cluster import ray_map
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
    parts = ray_map(_verify_chunk, programs, chunk, domain.raw, domain.source, seed, paths, options)
    return [Verdict.from_dict(d) for d in parts]
