"""Seeds are what every prompt shows as good work: each domain's seeds pass its strict check."""

from __future__ import annotations

from pathlib import Path

import pytest

from roboinstruct.domain import load_domain
from roboinstruct.quality import assess_pairs
from roboinstruct.seedtasks import load_seeds

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("domain_ref,seeds_file", [(None, None),
                                                   (str(EXAMPLES / "drone.yaml"), str(EXAMPLES / "drone_seeds.yaml"))])
def test_every_seed_passes_the_strict_check(domain_ref, seeds_file):
    domain = load_domain(domain_ref)
    seeds = load_seeds(seeds_file, domain.name)
    results = assess_pairs([{"id": str(i), "instruction": s.instruction, "program": s.program}
                            for i, s in enumerate(seeds)], domain, workers=1)
    assert len(results) >= 6 and [(r.id, r.rule, r.reason) for r in results if not r.keep] == []
