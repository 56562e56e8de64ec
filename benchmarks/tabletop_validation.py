"""Tabletop validation speed: roboinstruct's validator vs a GenSim-style episode, same process.

GenSim validates a candidate by running its oracle with a UR5 arm (inverse kinematics every
control step) and rendering three 480x640 cameras for every observation, 4 episodes. Here
both sides run the same task, seeds and oracle actions:

- ours: `run_episode` (floating suction tip, no images), then `validate_many` on K seeds in
  sandbox workers (the wall time a user waits for one candidate; target <= 3 s for K=8);
- GenSim-style: the same scene and actions, but the tip is an arm (PyBullet's bundled KUKA
  iiwa, 7 joints, standing in for the UR5) driven through IK every step, and three 480x640
  camera images per action.

    python benchmarks/tabletop_validation.py [--episodes 8] [--task place-red-in-green]

Prints episodes/s for both and the ratio, and the peak memory of a validation worker.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np
import pybullet as p
import pybullet_data

from roboinstruct.tabletop.env import cameras as render
from roboinstruct.tabletop.validate.worker.episode import run_episode
from roboinstruct.tabletop.env.sim import Sim
from roboinstruct.tabletop.tasks.sources import collect
from roboinstruct.tabletop.validate.taskcode import check_task
from roboinstruct.tabletop.validate.run import validate_many
from roboinstruct.tabletop.validate.seeds import derive_seeds
from roboinstruct.tabletop.validate.verdict import Candidate

CAMERAS = 3
HEIGHT = 480


class ArmSim(Sim):
    """The same world, but every tip motion step also solves IK and drives a 7-joint arm."""

    def reset(self) -> None:
        super().reset()
        path = str(Path(pybullet_data.getDataPath()) / "kuka_iiwa" / "model.urdf")
        self.arm = p.loadURDF(path, (0.0, 0.0, 0.0), useFixedBase=True, physicsClientId=self.client)
        self.joints = list(range(p.getNumJoints(self.arm, physicsClientId=self.client)))
        for link in [-1, *self.joints]:  # the arm costs what it costs but must not change the task's outcome
            p.setCollisionFilterGroupMask(self.arm, link, 0, 0, physicsClientId=self.client)

    def step(self, n: int = 1) -> None:
        for _ in range(n):
            target = (0.5, 0.0, 0.3)  # the cost of IK, not its target, is what is compared
            q = p.calculateInverseKinematics(self.arm, self.joints[-1], target, physicsClientId=self.client)
            p.setJointMotorControlArray(self.arm, self.joints, p.POSITION_CONTROL, targetPositions=q[:len(self.joints)],
                                        physicsClientId=self.client)
            p.stepSimulation(physicsClientId=self.client)
        self.steps += n


def images(sim: Sim, _action=None) -> None:
    for _ in range(CAMERAS):
        render.image(sim, "front", HEIGHT)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=8)
    ap.add_argument("--baseline-episodes", type=int, default=2, help="GenSim-style episodes (slow)")
    ap.add_argument("--task", default="place-red-in-green")
    ap.add_argument("--out", default=None, help="write the numbers as JSON here")
    args = ap.parse_args()
    (candidate,) = collect([args.task])
    code, name = check_task(candidate.source)
    seeds = derive_seeds(0, "benchmark", args.episodes)

    sim = Sim()
    ours = timed(lambda: [run_episode(code, name, s, sim) for s in seeds])
    arm = ArmSim()
    base = timed(lambda: [run_episode(code, name, s, arm, on_action=images) for s in seeds[:args.baseline_episodes]])
    ours_eps, base_eps = args.episodes / ours, args.baseline_episodes / base
    wall = timed(lambda: validate_many([Candidate(args.task, candidate.source)], seeds=8, workers=2))
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {"task": args.task, "ours_episodes_per_s": round(ours_eps, 2),
              "gensim_style_episodes_per_s": round(base_eps, 3), "ratio": round(ours_eps / base_eps, 1),
              "validate_8_seeds_2_workers_s": round(wall, 2), "worker_peak_rss_mb": round(worker_mb),
              "baseline": f"KUKA iiwa + IK per step + {CAMERAS} x {HEIGHT}x{2 * HEIGHT} images per action"}
    print(f"ours:         {ours_eps:8.2f} episodes/s ({args.episodes} episodes, floating suction tip, no images)")
    print(f"GenSim-style: {base_eps:8.3f} episodes/s ({args.baseline_episodes} episodes, arm + IK + {CAMERAS} cameras)")
    print(f"ratio:        {ours_eps / base_eps:8.1f}x")
    print(f"one candidate on 8 seeds in sandbox workers (2): {wall:.2f} s wall (target <= 3 s)")
    print(f"validation worker peak RSS: {worker_mb:.0f} MB (target < 1024 MB)")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    np.random.seed(0)


if __name__ == "__main__":
    main()
