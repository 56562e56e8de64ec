"""Batch validation on Ray gives the same verdicts as the local worker pool."""

from pathlib import Path

import pytest

from roboinstruct.tabletop.tasks.sources import collect
from roboinstruct.tabletop.validate.run import validate_many, validate_on_ray

CHECKOUT = Path(__file__).parents[1] / "fake_gensim"


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")  # the 'cluster' extra; CI installs it
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_matches_local_workers(local_ray):
    candidates = collect([], str(CHECKOUT))
    on_ray = validate_on_ray(candidates, seeds=3, chunk=2)
    local = validate_many(candidates, seeds=3, workers=2)
    assert [v.to_dict() for v in on_ray] == [v.to_dict() for v in local]
    assert {v.status for v in on_ray} == {"pass", "fail", "unsupported"}
