"""Pictures of a task, on demand (validation never renders): the caller's half. Task code runs in
the picture's episode, so the rendering is the sandbox-worker job `worker.jobs.render_job`, which
returns the image bytes base64-encoded (the caller never imports pybullet, which prints to stdout)."""

from __future__ import annotations

import base64

from ...errors import RunFailed

RENDER_JOB = "roboinstruct.tabletop.validate.worker.jobs:render_job"
MEMORY_MB, CPU_SECONDS = 1024, 120
MAX_IMAGE_CHARS = 4_000_000  # base64 of one picture; a reply above it is refused


def check_render(reply: dict) -> str | None:
    """The schema of a render_job reply (the parent trusts no child): None when it is well formed."""
    if reply.get("crashed"):
        return None
    image = reply.get("image")
    if not isinstance(image, str) or not 0 < len(image) <= MAX_IMAGE_CHARS:
        return "image: not a base64 string of a bounded size"
    if not isinstance(reply.get("ok"), bool) or not isinstance(reply.get("actions"), int):
        return "ok/actions: wrong types"
    if not all(isinstance(reply.get(k), (str, type(None))) for k in ("stage", "reason")):
        return "stage/reason: wrong types"
    return None


def render_request(source: str, seed: int, fmt: str, height: int = 160, dialect: str = "roboinstruct",
                   assets: dict | None = None, dynamics: dict | None = None) -> dict:
    """The job that renders `source`'s oracle episode on `seed` as PNG/JPEG (start/end) or GIF, in
    the task's dialect (a GenSim checkout's file: "gensim", the checkout's own assets and dynamics)."""
    return {"job": RENDER_JOB, "source": source, "seed": seed, "format": fmt, "height": height,
            "dialect": dialect, "assets": assets or {}, "dynamics": dynamics or {}}


def render_task(source: str, seed: int, fmt: str, height: int = 160) -> tuple[bytes, dict]:
    """Render in a sandbox worker (task code runs there); (image bytes, episode summary)."""
    from ...sandbox import WorkerPool

    with WorkerPool(1, memory_mb=MEMORY_MB, cpu_seconds=CPU_SECONDS) as pool:
        _, result = next(iter(pool.run([render_request(source, seed, fmt, height)])))
    if result.get("crashed") or "image" not in result:
        raise RunFailed(f"the task could not be rendered: {result.get('message', 'unknown failure')}")
    return base64.b64decode(result["image"]), result


def render_many(requests: list[dict], workers: int | None = None, progress=None) -> list[dict]:
    """Many `render_request`s on one pool of sandbox workers, in input order: each reply is
    {"image": bytes, "ok", "stage", "reason", "actions"} or {"image": None, "message": why not}.
    A task that cannot be rendered costs only its own picture."""
    from ...sandbox import WorkerPool

    out: list[dict] = [{"image": None, "message": "not rendered"} for _ in requests]
    if not requests:
        return out
    with WorkerPool(workers, memory_mb=MEMORY_MB, cpu_seconds=CPU_SECONDS) as pool:
        for i, result in pool.run(requests, check=check_render):
            if result.get("crashed") or "image" not in result:
                out[i] = {"image": None, "message": str(result.get("message") or "unknown failure")[:300]}
            else:
                out[i] = dict(result, image=base64.b64decode(result["image"]))
            if progress:
                progress()
    return out
