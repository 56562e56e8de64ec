"""The trained policy standing in for the oracle during evaluation (worker side: reads the scene)."""

from __future__ import annotations

import math
from functools import lru_cache


@lru_cache(maxsize=4)
def load_policy(folder: str):
    """A trained policy, loaded once per process: in the sandbox's zygote (`jobs.eval_job.prepare`),
    so the confined children that evaluate it share it."""
    from ..transporter import load

    return load(folder)


class PolicyActor:
    """The oracle's stand-in during evaluation: observation + goal -> (pick, place) tip poses."""

    def __init__(self, folder):
        self.model = load_policy(str(folder))

    def __call__(self, sim, language: str):
        import torch

        from ...env.observe import to_world, top_down
        from ...validate.worker.oracle import Action
        from ..transporter import SCALE
        from ...env.sim import yaw_quat

        color, height = top_down(sim)
        with torch.no_grad():
            _, place, pick_rc = self.model(torch.as_tensor(color[None]), torch.as_tensor(height[None]), [language])
        r, c = (int(v) * SCALE + SCALE // 2 for v in pick_rc[0])
        px, py, pz = to_world(r, c, height)
        R, H, W = place.shape[1:]
        flat = int(place[0].flatten().argmax())
        rot, pr, pc = flat // (H * W), (flat % (H * W)) // W, flat % W
        qx, qy, qz = to_world(pr * SCALE + SCALE // 2, pc * SCALE + SCALE // 2, height)
        yaw = rot * 2 * math.pi / R
        return Action(-1, ((px, py, pz), (0.0, 0.0, 0.0, 1.0)), ((qx, qy, qz + pz + 0.01), yaw_quat(yaw)))
