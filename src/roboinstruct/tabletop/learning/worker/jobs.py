"""The `*_job` functions the sandbox worker pool calls for learning: record one oracle demonstration,
evaluate a policy on some seeds. Each runs task code (in the worker process only) and returns the
episode's data for the caller to keep, pool and judge."""

from __future__ import annotations

import base64
import io
import math

import numpy as np

FRONT_HEIGHT = 96
ROTATIONS = 36  # the place rotation is stored as a yaw and as one of ROTATIONS bins (Transporter's)


def _npz(arrays: dict) -> str:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return base64.b64encode(buf.getvalue()).decode()


def record_job(task: dict) -> dict:
    """Worker job: {"source", "seed"} -> one episode (steps as a base64 npz) and its outcome."""
    from ...validate.worker.episode import run_episode
    from ...env.observe import to_pixel, top_down
    from ...env.cameras import image
    from ...env.sim import Sim, quat_yaw
    from ...validate.taskcode import check_task

    code, name = check_task(task["source"])
    steps: list[dict] = []

    def on_action(sim, action):
        rgb, height = top_down(sim)
        (px, py, _), _ = action.pick
        (qx, qy, _), q = action.place
        yaw = (quat_yaw(q) - quat_yaw(action.pick[1])) % (2 * math.pi)
        steps.append({"color": rgb, "height": height, "front": image(sim, "front", FRONT_HEIGHT),
                      "pick": np.array([*action.pick[0], *action.pick[1]], np.float32),
                      "place": np.array([*action.place[0], *action.place[1]], np.float32),
                      "pick_pixel": np.array(to_pixel(px, py), np.int32),
                      "place_pixel": np.array(to_pixel(qx, qy), np.int32),
                            "place_yaw": np.float32(yaw),
                      "place_rotation": np.int32(round(yaw / (2 * math.pi) * ROTATIONS) % ROTATIONS)})

    sim = Sim()
    result = run_episode(code, name, int(task["seed"]), sim, on_action=on_action,
                         dialect=task.get("dialect", "roboinstruct"), assets=task.get("assets") or {})
    final_color, _ = top_down(sim)
    goals = result.goal_texts or [""]
    # the language goal in force at each action, and the reward each action earned
    met = result.met_after or []
    for i, s in enumerate(steps):
        before = met[i - 1] if i else 0
        after = met[i] if i < len(met) else before
        s["lang"] = goals[min(before, len(goals) - 1)]
        s["reward"] = np.float32((after - before) / max(1, len(goals)))
        s["done"] = bool(i == len(steps) - 1 and result.ok)
    sim.close()
    arrays = {}
    for key in ("color", "height", "front", "pick", "place", "pick_pixel", "place_pixel", "place_yaw",
                "place_rotation", "reward", "done"):
        arrays[key] = np.stack([np.asarray(s[key]) for s in steps]) if steps else np.zeros((0,))
    arrays["final_color"] = final_color
    return {"ok": result.ok, "stage": result.stage, "reason": result.reason, "seed": int(task["seed"]),
            "task": name, "lang": [s["lang"] for s in steps], "steps": len(steps), "arrays": _npz(arrays)}


def _prepare_eval(task: dict) -> None:
    """Trusted warm-up in the sandbox's zygote, before a candidate's child is forked: torch and the
    policy (our own files, no task code). Inside the sandbox no temporary directory is usable, and
    importing torch imports dill, which asks for one's name at import: it gets the name only."""
    import tempfile

    tempfile.tempdir = tempfile.tempdir or "/tmp"  # a name for dill's import; nothing is written there
    import torch

    from .actor import load_policy

    torch.set_num_threads(1)
    load_policy(str(task["policy"]))


def eval_job(task: dict) -> dict:
    """Worker job: {"policy", "source", "seeds"} -> per-seed outcome of the policy's episodes."""
    import torch

    from ...validate.worker.episode import run_episode
    from ...env.sim import Sim
    from ...validate.taskcode import check_task

    from ...validate.verdict import SCENE_DATA
    from .actor import PolicyActor

    torch.set_num_threads(1)
    code, name = check_task(task["source"])
    actor = PolicyActor(task["policy"])
    sim = Sim()
    out = []
    for s in task["seeds"]:
        r = run_episode(code, name, s, sim, actor=actor, dialect=task.get("dialect", "roboinstruct"),
                        assets=task.get("assets") or {}).to_dict()  # the caller judges its scene data
        out.append({k: r[k] for k in ("seed", "ok", "stage", "reason", "actions", "strict_stage", "strict_reason",
                                      *SCENE_DATA)})
    sim.close()
    return {"task": name, "results": out}


eval_job.prepare = _prepare_eval  # trusted: runs in the zygote, never sees the task code run
