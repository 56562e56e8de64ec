"""The verification stage on a local Ray cluster gives the same verdicts as local workers."""

import pytest

from roboinstruct.domain import load_domain
from roboinstruct.pipeline.ray_executor import verify_on_ray
from roboinstruct.verify import verify_many

PROGRAMS = [
    'def task_program():\n    go_to("kitchen")\n    if is_in_room("cup"):\n        pick("cup")\n    place("cup")\n',
    'def task_program():\n    go_to("kitchen")\n    say("hi")\n',
    'def task_program():\n    x = [0] * (10 ** 10)\n',
] * 7


@pytest.fixture(scope="module")
def local_ray():
    import ray  # the 'cluster' extra; CI installs it

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_matches_local_workers(local_ray):
    dom = load_domain()
    on_ray = verify_on_ray(PROGRAMS, dom, seed=1, paths=50, chunk=8)
    local = verify_many(PROGRAMS, dom, seed=1, paths=50, workers=2)
    assert [v.to_dict() for v in on_ray] == [v.to_dict() for v in local]
    assert [v.valid for v in on_ray[:3]] == [False, True, False]
    assert on_ray[2].error_kind == "SandboxError"


def test_generate_with_the_ray_executor(local_ray, tmp_path):
    import json

    from fake_model import FakeBackend

    from roboinstruct.pipeline.config import GenerateConfig
    from roboinstruct.pipeline.run import GenerationRun

    cfg = GenerateConfig(origin="instructions", num=4, out=str(tmp_path / "run"), batch=4, max_rounds=4, decontaminate=[], paths=100,
                         executor="ray").validate()
    run = GenerationRun(cfg, backend_factory=lambda c: FakeBackend())
    try:
        manifest = run.run()
    finally:
        run.close()
    rows = [json.loads(x) for x in (tmp_path / "run" / "dataset.jsonl").read_text().splitlines()]
    assert rows and all(r["verdict"]["valid"] for r in rows)
    assert manifest["runtime"]["executor"] == "ray"
