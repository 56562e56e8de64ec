"""Why GenSim's own oracle fails a task class: one class in GenSim's Environment, every action logged.

Run ONLY by experiments/gensim_arm_diagnose.py, with the throwaway reference virtualenv's python,
inside bubblewrap (the checkout's files are untrusted code). It never imports roboinstruct and is not
part of the package; it loads the task and environment exactly as gensim_reference_runner.py does
(its helpers are imported from that file) and wraps, read-only, what an action does:

- the oracle's action (pick and place poses) or None ("object for pick is not visible": GenSim's
  oracle then clears the goals and the episode ends);
- every `movej` of the primitive: simulation steps taken and, when it gives up (GenSim's 5 s
  wall-clock timeout), how far the joints still were from the IK solution (stuck, not starved);
- whether the suction held something after the pick (`check_grasp`) and which body;
- after the action: the reward, done, the goals left, the held object's x-y error against where the
  oracle meant to put it, and every other rigid object that moved more than 1 cm or tipped more than
  20 degrees during the action (knocked by the arm or by the carried object).

    python gensim_arm_diagnose_runner.py CHECKOUT MODULE CLASS SEED...

Prints `GENSIM_DIAG_EPISODE {json}` per seed.
"""

from __future__ import annotations

import importlib
import json
import math
import random
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gensim_reference_runner import bare_packages, install_standins  # noqa: E402

MOVED, TIPPED = 0.01, 20.0


def main(argv: list[str]) -> int:
    checkout, module, cls_name, *seeds = argv
    install_standins()
    bare_packages(checkout)
    import numpy as np
    import pybullet as p
    from cliport.environments.environment import Environment

    Environment._get_obs = lambda self: {"color": (), "depth": ()}
    render = Environment.render_camera
    Environment.render_camera = lambda self, config, image_size=None, shadow=1: render(self, config, image_size, 0)
    cls = getattr(importlib.import_module(module), cls_name)
    env = Environment(f"{checkout}/cliport/environments/assets", disp=False, shared_memory=False, hz=480,
                      record_cfg={"save_video": False, "blender_render": False, "add_text": False})
    log: dict = {}
    movej = env.movej

    def logged_movej(targj, speed=0.01, timeout=5):
        before = env.step_counter
        out = movej(targj, speed, timeout)
        log["steps"] = log.get("steps", 0) + env.step_counter - before
        if out:
            currj = np.array([p.getJointState(env.ur5, i)[0] for i in env.joints])
            log.setdefault("timeouts", []).append({"steps": env.step_counter - before,
                                                   "max_joint_gap": round(float(np.max(np.abs(targj - currj))), 4)})
        return out

    env.movej = logged_movej

    def tilt(q) -> float:
        z = np.array(p.getMatrixFromQuaternion(q)).reshape(3, 3)[:, 2]
        return math.degrees(math.acos(max(-1.0, min(1.0, float(z[2])))))

    task = cls()
    task.mode = "train"
    agent = task.oracle(env)
    for seed in map(int, seeds):
        ep = {"seed": seed, "actions": [], "reward": 0.0, "error": None}
        start = time.monotonic()
        try:
            np.random.seed(seed)
            random.seed(seed)
            env.set_task(task)
            obs = env.reset()
            info = env.info
            check = getattr(env.ee, "check_grasp", lambda: False)  # a spatula (pushing) holds nothing

            def logged_check():
                ok = check()
                log["grasp"] = ok
                log["held"] = p.getConstraintInfo(env.ee.contact_constraint)[2] if ok else None
                return ok

            env.ee.check_grasp = logged_check
            total = 0.0
            for _ in range(task.max_steps):
                act = agent.act(obs, info)
                rigid = list(env.obj_ids["rigid"])
                before = {b: p.getBasePositionAndOrientation(b) for b in rigid}
                log.clear()
                rec = {"act": None if act is None else [[round(float(v), 4) for v in act["pose0"][0]],
                                                       [round(float(v), 4) for v in act["pose1"][0]]],
                       "goals_before": len(task.goals)}
                if act is not None:  # the object the oracle meant to move: under the pick pose
                    pick = act["pose0"]
                    hit = p.rayTest((pick[0][0], pick[0][1], pick[0][2] + 0.02), (pick[0][0], pick[0][1], -0.1))[0][0]
                    rec["meant"] = int(hit)
                    if hit in before:
                        obj = before[hit]
                        inv = p.invertTransform(pick[0], pick[1])
                        o2p = p.multiplyTransforms(inv[0], inv[1], *obj)
                        want = p.multiplyTransforms(act["pose1"][0], act["pose1"][1], *o2p)
                        rec["want_xy"] = [round(want[0][0], 4), round(want[0][1], 4)]
                obs, reward, done, info = env.step(act)
                total += float(reward)
                rec.update({"reward": round(total, 4), "done": bool(done), "goals_after": len(task.goals),
                            "steps": log.get("steps", 0), "timeouts": log.get("timeouts", []),
                            "grasp": log.get("grasp"), "held": log.get("held")})
                held = log.get("held")
                if held is not None:
                    pos = p.getBasePositionAndOrientation(held)[0]
                    if "want_xy" in rec and held == rec.get("meant"):
                        rec["place_err_mm"] = round(1000 * math.hypot(pos[0] - rec["want_xy"][0], pos[1] - rec["want_xy"][1]), 1)
                    rec["held_tilt"] = round(tilt(p.getBasePositionAndOrientation(held)[1]), 1)
                disturbed = []
                for b, (pos0, q0) in before.items():
                    if b == held:
                        continue
                    pos1, q1 = p.getBasePositionAndOrientation(b)
                    moved = math.hypot(pos1[0] - pos0[0], pos1[1] - pos0[1])
                    tipped = abs(tilt(q1) - tilt(q0))
                    if moved > MOVED or tipped > TIPPED:
                        disturbed.append([b, round(moved * 1000), round(tipped)])
                rec["disturbed"] = disturbed
                ep["actions"].append(rec)
                ep["reward"] = round(total, 4)
                if done:
                    break
        except Exception as exc:
            ep["error"] = f"{type(exc).__name__}: {exc}"[:300]
            ep["where"] = traceback.format_exc(limit=-2)[-500:]
        ep["seconds"] = round(time.monotonic() - start, 2)
        print("GENSIM_DIAG_EPISODE " + json.dumps(ep), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
