"""One GenSim task class in GenSim's own Environment with its own oracle (a measuring tool).

Run ONLY by experiments/gensim_reference.py, with the throwaway reference virtualenv's python,
inside bubblewrap (no network, the checkout read-only, a private /tmp): the checkout's files are
untrusted code. It never imports roboinstruct and is not part of the package.

    python gensim_reference_runner.py [--cpu-clock] [--trace] [--no-obs-images] [--no-shadows] [--need N] CHECKOUT MODULE CLASS SEED...

MODULE is dotted from the checkout root (`cliport.generated_tasks.align_balls_in_colored_boxes`).
Prints one line `GENSIM_REF_RESULT {json}` last: per seed the summed reward, done, actions,
seconds and the error text (an episode that raises is a failed episode, as in GenSim's demos.py).

What runs is GenSim's demos.py loop: one Environment(hz=480), one task object and one oracle
agent for all seeds; per seed np.random.seed/random.seed, env.set_task, env.reset, then up to
task.max_steps oracle actions, summing the rewards, stopping at done. GenSim's `cliport/__init__`,
`cliport/tasks/__init__` and `cliport/generated_tasks/__init__` import the training stack and
every task at once; the runner imports the needed modules below them instead (bare packages).
Modules GenSim's utils import but the env/task/oracle code never calls (torch, torchvision,
kornia, meshcat, matplotlib, omegaconf, yaml, IPython) are stand-ins that raise if used.
`--no-obs-images`: env.step's observation (three 480x640 RGB-D camera renders per action, which
the oracle never reads: it renders its own orthographic view) comes back empty. Rewards, done,
physics and the oracle's actions are unchanged; only the cost of an episode drops.
`--no-shadows`: every camera render without pybullet's shadow pass (a third of the cost): the
depth and segmentation images are bit-identical (checked on GenSim's oracle camera), and they are
all the oracle and `get_random_pose` read of a render (its colour image is dropped).
`--cpu-clock`: GenSim's two wall-clock limits (`movej` gives up after 5 s, the settling after an
action stops after 5 s) read this process's CPU seconds instead: what they would read on an idle core
of this machine, whatever else shares it. Under load the wall clock ran out mid-motion and ended
episodes GenSim's physics would have finished (`sweeping_piles`: 0 of 3 seeds on a shared core, 4 of 4
alone); with this clock a class's verdict no longer depends on what ran beside it.
`--trace`: each episode also lists its actions: the step's reward, whether GenSim's primitive
timed out (which ends the episode at once, reward 0), whether its suction held the object after the
lift (`check_grasp`; a failed grasp moves nothing), how far off its centre the oracle picked the
object (GenSim picks a random pixel of its eroded top mask), and where it came to rest against the
pose the oracle's place meant for it (x-y distance and z difference, metres, after the scene settled),
and its velocity (m/s) the moment it was let go. Read-only wrappers: nothing GenSim
computes changes.
`--need N`: stop once N episodes reached reward > 0.99 or N can no longer be reached (the
acceptance rule is then decided; the seeds left are not run). Each episode is also printed as it
ends (`GENSIM_REF_EPISODE {json}`), so a caller that times the class out keeps what finished.
"""

from __future__ import annotations

import importlib
import json
import random
import sys
import time
import traceback
import types

STANDINS = ("torch", "torchvision", "kornia", "meshcat", "meshcat.geometry", "meshcat.transformations",
            "matplotlib", "matplotlib.pyplot", "omegaconf", "yaml", "IPython")


SUCCESS = 0.99  # GenSim's demos.py saves an episode when its total reward > 0.99


class CpuClock:
    """Stands in for the `time` module inside GenSim's environment module only: `time()` is this
    process's CPU time (load-independent); everything else is the real module's."""

    def time(self) -> float:
        return time.process_time()

    def __getattr__(self, name):
        return getattr(time, name)


class _Unused:
    """What a stand-in module hands out: any use raises, naming what was used."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr):
        return _Unused(f"{self._name}.{attr}")

    def __call__(self, *a, **k):
        raise RuntimeError(f"stand-in used: {self._name} (the measuring venv does not install it)")


def install_standins() -> list[str]:
    used = []
    for name in STANDINS:
        try:
            importlib.import_module(name)
            continue  # really installed: use it
        except ImportError:
            pass
        mod = types.ModuleType(name)
        mod.__getattr__ = lambda attr, _n=name: _Unused(f"{_n}.{attr}")  # type: ignore[attr-defined]
        mod.__path__ = []  # lets `import a.b` find b in sys.modules
        sys.modules[name] = mod
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, mod)
        used.append(name)
    if "omegaconf" in used:
        sys.modules["omegaconf"].OmegaConf = _Unused("omegaconf.OmegaConf")
    return used


def bare_packages(checkout: str) -> None:
    """`cliport` and its subpackages as namespaces over the checkout, without their __init__."""
    for name in ("cliport", "cliport.tasks", "cliport.utils", "cliport.environments", "cliport.generated_tasks"):
        mod = types.ModuleType(name)
        mod.__path__ = [f"{checkout}/{name.replace('.', '/')}"]
        sys.modules[name] = mod
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, mod)


class Traced:
    """Wraps a task's primitive: what each call did, for `--trace` (GenSim computes the same)."""

    def __init__(self, primitive):
        self.primitive, self.last = primitive, {}

    def __call__(self, movej, movep, ee, pose0, pose1):
        grasps, released, check, release = [], [], ee.check_grasp, ee.release

        def releasing():  # where the held object is the moment the suction lets go (None: nothing held)
            released.append(held_position(ee))
            return release()

        ee.check_grasp = lambda: grasps.append(bool(check())) or grasps[-1]
        ee.release = releasing
        try:
            timeout = self.primitive(movej, movep, ee, pose0, pose1)
        finally:
            del ee.check_grasp, ee.release
        self.last = {"timeout": bool(timeout), "grasp": grasps[-1] if grasps else None,
                     "released_at": released[-1] if released else None}
        return timeout


def held_position(ee):
    """What GenSim's suction holds (its contact constraint's child) as it lets go: its position, and
    what it touches then (body id, deepest penetration in metres), or None when it holds nothing."""
    cid = getattr(ee, "contact_constraint", None)
    if cid is None:
        return None
    import pybullet as p

    body = p.getConstraintInfo(cid)[2]
    touching: dict = {}
    for c in p.getContactPoints(bodyA=body):
        if c[2] != ee.body:
            touching[c[2]] = min(touching.get(c[2], 0.0), c[8])
    return {"position": list(p.getBasePositionAndOrientation(body)[0]),
            "velocity": [round(v, 4) for v in p.getBaseVelocity(body)[0]],
            "touching": sorted([b, round(d, 4)] for b, d in touching.items())}


def _carried(env, act, np) -> dict:
    """The object nearest the pick pose before the action, where the pick is on it (x-y offset from
    its centre) and the pose the oracle's place puts it in (place pose x the object in the pick frame)."""
    if not isinstance(act, dict) or "pose0" not in act:
        return {}
    import pybullet as p

    pick, place = act["pose0"], act["pose1"]
    near = []
    for i in env.obj_ids["rigid"]:
        pos, orn = p.getBasePositionAndOrientation(i)
        near.append((float(np.linalg.norm(np.array(pos[:2]) - np.array(pick[0][:2]))), i, pos, orn))
    if not near:
        return {}
    dist, body, pos, orn = min(near)
    if dist > 0.05:
        return {}
    inv = p.invertTransform(list(map(float, pick[0])), list(map(float, pick[1])))
    in_pick = p.multiplyTransforms(inv[0], inv[1], pos, orn)
    target = p.multiplyTransforms(list(map(float, place[0])), list(map(float, place[1])), *in_pick)[0]
    return {"body": body, "pick_offset": round(dist, 4), "target": target}


def _rest(carried: dict, released_at, np) -> dict:
    """How far from the oracle's intended pose the carried object was let go (x-y) and came to rest
    (x-y and z), metres; release_xy None: the suction held nothing when it let go."""
    import pybullet as p

    rest, target = np.array(p.getBasePositionAndOrientation(carried["body"])[0]), np.array(carried["target"])
    out = {"pick_offset": carried["pick_offset"], "place_xy": round(float(np.linalg.norm(rest[:2] - target[:2])), 4),
           "place_dz": round(float(rest[2] - target[2]), 4), "release_xy": None}
    if released_at is not None:
        at = np.array(released_at["position"])
        out["release_xy"] = round(float(np.linalg.norm(at[:2] - target[:2])), 4)
        out["release_dz"], out["release_touching"] = round(float(at[2] - target[2]), 4), released_at["touching"]
        out["release_velocity"] = released_at.get("velocity")
    return out


def episode(env, task, agent, seed: int, np, trace: bool = False) -> dict:
    start, cpu = time.monotonic(), time.process_time()
    out = {"seed": seed, "reward": 0.0, "done": False, "actions": 0, "error": None}
    if trace:
        out["trace"] = []
        if not isinstance(task.primitive, Traced):
            task.primitive = Traced(task.primitive)
    try:
        np.random.seed(seed)
        random.seed(seed)
        env.set_task(task)
        obs = env.reset()
        info = env.info
        total = 0.0
        for _ in range(task.max_steps):
            act = agent.act(obs, info)
            carried = _carried(env, act, np) if trace else {}
            obs, reward, done, info = env.step(act)
            total += float(reward)
            if trace:
                last = dict(task.primitive.last)
                released_at = last.pop("released_at", None)
                step = {"reward": round(float(reward), 4), **last}
                if carried:
                    step.update(_rest(carried, released_at, np))
                out["trace"].append(step)
            out["actions"] += 1
            out["reward"], out["done"] = round(total, 6), bool(done)
            if done:
                break
    except Exception as exc:  # GenSim's demos.py: an exception ends the episode, which is not saved
        out["error"] = f"{type(exc).__name__}: {exc}"[:400]
        out["where"] = traceback.format_exc(limit=-2)[-600:]
    out["seconds"] = round(time.monotonic() - start, 3)
    out["cpu_seconds"] = round(time.process_time() - cpu, 3)  # this process only: the machine is shared
    return out


def main(argv: list[str]) -> int:
    no_obs, no_shadows, need, cpu_clock, trace = False, False, 0, False, False
    while argv and argv[0].startswith("--"):
        if argv[0] == "--cpu-clock":
            cpu_clock, argv = True, argv[1:]
        elif argv[0] == "--trace":
            trace, argv = True, argv[1:]
        elif argv[0] == "--no-obs-images":
            no_obs, argv = True, argv[1:]
        elif argv[0] == "--no-shadows":
            no_shadows, argv = True, argv[1:]
        elif argv[0] == "--need":
            need, argv = int(argv[1]), argv[2:]
        else:
            raise SystemExit(f"unknown option {argv[0]}")
    checkout, module, cls_name, *seeds = argv
    result = {"module": module, "class": cls_name, "episodes": [], "error": None, "obs_images": not no_obs,
              "shadows": not no_shadows, "clock": "cpu" if cpu_clock else "wall"}
    try:
        result["standins"] = install_standins()
        bare_packages(checkout)
        import numpy as np
        from cliport.environments.environment import Environment

        if cpu_clock:
            sys.modules["cliport.environments.environment"].time = CpuClock()
        if no_obs:
            Environment._get_obs = lambda self: {"color": (), "depth": ()}
        if no_shadows:
            render = Environment.render_camera
            Environment.render_camera = lambda self, config, image_size=None, shadow=1: render(self, config, image_size, 0)
        cls = getattr(importlib.import_module(module), cls_name)
        env = Environment(f"{checkout}/cliport/environments/assets", disp=False, shared_memory=False, hz=480,
                          record_cfg={"save_video": False, "blender_render": False, "add_text": False})
        task = cls()
        task.mode = "train"
        agent = task.oracle(env)
        result["max_steps"] = int(task.max_steps)
        for k, seed in enumerate(seeds):
            ep = episode(env, task, agent, int(seed), np, trace)
            result["episodes"].append(ep)
            print("GENSIM_REF_EPISODE " + json.dumps(ep), flush=True)
            passed = sum(e["reward"] > SUCCESS for e in result["episodes"])
            if need and (passed >= need or passed + len(seeds) - k - 1 < need):
                break
    except Exception as exc:  # the class does not import or build: no episode ran
        result["error"] = f"{type(exc).__name__}: {exc}"[:400]
        result["where"] = traceback.format_exc(limit=-2)[-600:]
    sys.stdout.flush()
    print("GENSIM_REF_RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
