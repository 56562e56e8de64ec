"""Pictures of a task, on demand (validation never renders): the caller's half. Task code runs in
the picture's episode, so the rendering is the sandbox-worker job `worker.jobs.render_job`, which
returns the image bytes base64-encoded (the caller never imports pybullet, which prints to stdout)."""

from __future__ import annotations

import base64

from ...errors import RunFailed

RENDER_JOB = "roboinstruct.tabletop.validate.worker.jobs:render_job"


def render_request(source: str, seed: int, fmt: str, height: int = 160) -> dict:
    """The job that renders `source`'s oracle episode on `seed` as PNG (start/end) or GIF."""
    return {"job": RENDER_JOB, "source": source, "seed": seed, "format": fmt, "height": height}


def render_task(source: str, seed: int, fmt: str, height: int = 160) -> tuple[bytes, dict]:
    """Render in a sandbox worker (task code runs there); (image bytes, episode summary)."""
    from ...sandbox import WorkerPool

    with WorkerPool(1, memory_mb=1024, cpu_seconds=120) as pool:
        _, result = next(iter(pool.run([render_request(source, seed, fmt, height)])))
    if result.get("crashed") or "image" not in result:
        raise RunFailed(f"the task could not be rendered: {result.get('message', 'unknown failure')}")
    return base64.b64decode(result["image"]), result
