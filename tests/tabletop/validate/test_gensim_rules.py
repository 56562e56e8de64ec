"""GenSim's goal checks (cliport/tasks/task.py: is_match, reward) beside this project's stricter ones,
on scenes, and on the live simulator: GenSim's oracle is driven by GenSim's checks, the strict verdict
judges the same scenes its own way."""

from __future__ import annotations

import math

import numpy as np

from roboinstruct.tabletop.catalogue.assets import resolve
from roboinstruct.tabletop.env.sim import Sim, yaw_quat
from roboinstruct.tabletop.validate import gensim_rules
from roboinstruct.tabletop.validate.goals import Goal, Scene, pose_fault, satisfied
from roboinstruct.tabletop.validate.worker import judge

BLOCK = (0.04, 0.04, 0.04)
TARGET = ((0.5, 0.0, 0.02), (0.0, 0.0, 0.0, 1.0))


def _goal(symmetry: float, given: float, rotations: bool, targets=(TARGET,), heights="exact", n=1) -> Goal:
    return Goal(list(range(1, n + 1)), [symmetry] * n, np.ones((n, len(targets)), dtype=bool), list(targets),
                False, rotations, "pose", 1.0, "", [given] * n, heights)


def _scene(*poses) -> Scene:
    return Scene({i: pose for i, pose in enumerate(poses, 1)}, {i: BLOCK for i in range(1, len(poses) + 1)})


def test_gensims_is_match_reads_x_y_and_a_given_symmetry_only():
    on_top = _scene(((0.505, 0.0, 0.06), yaw_quat(0.0)))  # right x-y, a layer up
    assert gensim_rules.done(_goal(math.pi / 2, 0.0, True), on_top, 0.01, math.radians(15))
    assert pose_fault(on_top, 1, math.pi / 2, TARGET, True, 0.01, math.radians(15)).startswith("on top of")
    turned = _scene(((0.5, 0.0, 0.02), yaw_quat(math.radians(40))))
    # the task gave no symmetry: GenSim reads 0 and checks no rotation; ours uses the block's (90°)
    assert gensim_rules.done(_goal(math.pi / 2, 0.0, True), turned, 0.01, math.radians(15))
    assert satisfied(_goal(math.pi / 2, 0.0, True), turned, 0.01, math.radians(15)) == 0
    # a given symmetry is checked by GenSim even with rotations=False (its is_match never reads it)
    assert not gensim_rules.done(_goal(math.pi / 2, math.pi / 2, False), turned, 0.01, math.radians(15))
    assert satisfied(_goal(math.pi / 2, math.pi / 2, False), turned, 0.01, math.radians(15)) == 1


def test_gensims_pose_reward_needs_no_distinct_target_and_zones_split_the_reward():
    both_on_one = _scene(((0.5, 0.0, 0.02), yaw_quat(0)), ((0.5, 0.0, 0.06), yaw_quat(0)))
    two = _goal(0.0, 0.0, False, targets=(TARGET, ((0.5, 0.2, 0.02), yaw_quat(0))), n=2)
    assert gensim_rules.share(two, both_on_one, 0.01, 0.2) == 1.0  # GenSim's reward: any matching target
    assert satisfied(two, both_on_one, 0.01, 0.2) == 1  # ours: a target each
    zone = (((0.5, 0.0, 0.0), yaw_quat(0)), (0.12, 0.12))
    other = (((0.5, 0.3, 0.0), yaw_quat(0)), (0.12, 0.12))
    inside = _scene(((0.5, 0.0, 0.02), yaw_quat(0)))
    one = Goal([1], [0.0], np.ones((1, 1), dtype=bool), [zone], True, False, "zone", 1.0, "")
    split = Goal([1], [0.0], np.ones((1, 2), dtype=bool), [zone, other], True, False, "zone", 1.0, "")
    assert gensim_rules.share(one, inside, 0.01, 0.2) == 1.0
    assert gensim_rules.share(split, inside, 0.01, 0.2) == 0.5  # GenSim divides by zones x points


def test_nominal_target_heights_are_judged_by_level_in_gensims_dialect():
    pyramid_top = ((0.5, 0.0, 0.132), yaw_quat(0))  # Ravens' layer-3 target: a block rests at 0.105
    resting = _scene(((0.5, 0.0, 0.105), yaw_quat(0)))
    assert pose_fault(resting, 1, 0.0, pyramid_top, False, 0.01, 0.2, "exact")
    assert not pose_fault(resting, 1, 0.0, pyramid_top, False, 0.01, 0.2, "level")
    fallen = _scene(((0.5, 0.0, 0.02), yaw_quat(0)))  # on the table: not the level it was meant for
    assert "on the table" in pose_fault(fallen, 1, 0.0, pyramid_top, False, 0.01, 0.2, "level")
    two_up = _scene(((0.5, 0.0, 0.175), yaw_quat(0)))  # a whole layer above: on another block
    assert "layer above" in pose_fault(two_up, 1, 0.0, pyramid_top, False, 0.01, 0.2, "level")
    dummy = Scene(resting.poses, resting.sizes, nominal=[1])  # GenSim's dummy size: heights not the task's
    assert not pose_fault(Scene(fallen.poses, fallen.sizes, [1]), 1, 0.0, pyramid_top, False, 0.01, 0.2, "level")
    assert not pose_fault(dummy, 1, 0.0, pyramid_top, False, 0.01, 0.2, "exact")
    assert "layer above" in pose_fault(Scene(two_up.poses, two_up.sizes, [1]), 1, 0.0, ((0.5, 0.0, 0.06), yaw_quat(0)),
                                       False, 0.01, 0.2, "level")  # but not a whole layer above its target


def test_the_oracle_on_the_live_simulator_follows_gensims_checks_in_its_dialect():
    sim = Sim()
    block = sim.add(resolve("stacking/block.urdf"), (0.5, 0.0, 0.02), yaw_quat(math.radians(40)), False, None)
    goal = Goal([block], [math.pi / 2], np.ones((1, 1), dtype=bool), [TARGET], False, True, "pose", 1.0, "",
                [0.0], "level")
    sim.settle()
    assert judge.complete(goal, sim, 0.01, math.radians(15), gensim=True)  # GenSim: nothing to do
    assert not judge.complete(goal, sim, 0.01, math.radians(15))  # ours: turn it by 40°
    sim.close()


def test_gensims_oracle_does_not_pick_what_its_heightmap_misses_and_takes_targets_its_way():
    from roboinstruct.tabletop.validate.worker.oracle import Action, next_action, taken

    sim = Sim()
    off = sim.add(resolve("stacking/block.urdf"), (0.2, 0.0, 0.02), yaw_quat(0.0), False, None)  # x < 0.25
    goal = Goal([off], [math.pi / 2], np.ones((1, 1), dtype=bool), [TARGET], False, False, "pose", 1.0, "",
                [0.0], "level")
    sim.settle()
    assert isinstance(next_action(goal, sim, 0.01, math.radians(15)), Action)  # the tip reaches it
    assert "off the table" in next_action(goal, sim, 0.01, math.radians(15), gensim=True)  # GenSim's camera does not
    sim.close()
    # without replacement GenSim takes out every target an object is at: a rope's middle link, lying
    # where its own target and its mirrored one meet, takes both
    placed, used = taken(np.array([[1, 1], [1, 1]], dtype=bool), np.array([[True, True], [False, False]]))
    assert placed == {0} and used == {0, 1}
