"""The arm of `--robot arm`: reach, GenSim's suction (pick, carry, release), and what the scene's
queries see of it (nothing)."""

import math

import pytest

pytest.importorskip("pybullet")
import pybullet as p  # noqa: E402

from roboinstruct.tabletop.catalogue.assets import resolve  # noqa: E402
from roboinstruct.tabletop.env.arm import Arm  # noqa: E402
from roboinstruct.tabletop.env.sim import Sim  # noqa: E402

DOWN = (0.0, 0.0, 0.0, 1.0)  # a tip pose's identity: the cup pointing at the table


@pytest.fixture()
def sim():
    s = Sim()
    yield s
    s.close()


def test_the_arm_reaches_a_pose_in_the_workspace_and_refuses_one_beyond_it(sim):
    arm = Arm(sim)
    assert arm.move_to(((0.5, 0.1, 0.2), DOWN))
    (x, y, z), _ = arm.tip()
    assert math.dist((x, y, z), (0.5, 0.1, 0.2)) < 0.01
    assert not arm.move_to(((1.2, 0.0, 0.05), DOWN))  # 1.2 m from the base: no arm of its size gets there
    assert math.dist(arm.tip()[0], (1.2, 0.0, 0.05)) > 0.2


def test_suction_picks_a_block_carries_it_and_lets_go(sim):
    block = resolve("stacking/block.urdf")
    a = sim.add(block, (0.4, -0.1, 0.02), (0, 0, 0, 1), False, None)
    b = sim.add(block, (0.55, 0.15, 0.02), (0, 0, 0, 1), False, None)
    arm = Arm(sim)
    sim.settle()
    moved = arm.pick_place(((0.4, -0.1, 0.04), DOWN), ((0.6, 0.2, 0.04), DOWN))
    assert moved.picked == a and not moved.gave_up
    (x, y, z), _ = sim.pose(a)
    assert math.hypot(x - 0.6, y - 0.2) < 0.01 and abs(z - 0.02) < 0.003  # on the table where it was meant
    assert arm.held is None and arm.tip()[0][2] > 0.3  # released, and the arm rose away without it
    sim.step(120)
    assert abs(sim.pose(a)[0][2] - 0.02) < 0.003
    # stacking: the block goes onto b, and the scene's own queries look through the arm above it
    arm.pick_place(((0.6, 0.2, 0.04), DOWN), ((0.55, 0.15, 0.08), DOWN))
    assert abs(sim.pose(a)[0][2] - 0.06) < 0.004
    assert sim.top_body_at(0.55, 0.15)[0] == a
    assert sim.penetrations() == [] and a not in sim.robot


def test_a_fixed_body_is_not_held_and_nothing_moves(sim):
    zone = sim.add(resolve("zone/zone.urdf"), (0.5, 0.0, 0.0), (0, 0, 0, 1), True, None)
    arm = Arm(sim)
    moved = arm.pick_place(((0.5, 0.0, 0.001), DOWN), ((0.6, 0.2, 0.05), DOWN))
    assert moved.picked is None and not moved.gave_up and "held nothing" in moved.message
    assert sim.pose(zone)[0][:2] == pytest.approx((0.5, 0.0))


def test_a_pick_beyond_reach_takes_nothing(sim):
    """GenSim's descent stops at the first contact, wherever the stretched arm got: the table, short
    of a block 1.1 m out, so the suction holds nothing (or the move gives up), and the block stays."""
    block = resolve("stacking/block.urdf")
    far = sim.add(block, (1.1, 0.0, 0.02), (0, 0, 0, 1), False, None)
    arm = Arm(sim)
    sim.settle()
    moved = arm.pick_place(((1.1, 0.0, 0.04), DOWN), ((0.5, 0.0, 0.04), DOWN))
    assert moved.picked is None and (moved.gave_up or "held nothing" in moved.message)
    assert sim.pose(far)[0][:2] == pytest.approx((1.1, 0.0), abs=1e-3)


def test_a_push_sweeps_a_block_with_a_blade_on_the_arm_and_takes_the_blade_away(sim):
    """GenSim's spatula push on the arm: the block in front of the start goes along the push
    direction; afterwards no blade is left in the world or among the robot's bodies."""
    block = resolve("stacking/block.urdf")
    a = sim.add(block, (0.45, 0.0, 0.02), (0, 0, 0, 1), False, None)
    arm = Arm(sim)
    sim.settle()
    bodies = p.getNumBodies(physicsClientId=sim.client)
    robot = set(sim.robot)
    moved = arm.push(((0.43, 0.0, 0.0), DOWN), ((0.62, 0.0, 0.0), DOWN))
    assert not moved.gave_up, moved.message
    (x, y, _), _ = sim.pose(a)
    # pushed forward 5 cm or more; it may turn aside a little (the blade comes down on a joint-space
    # path, not straight down, and nudges it first, as GenSim's does)
    assert x > 0.5 and abs(y) < 0.1
    assert p.getNumBodies(physicsClientId=sim.client) == bodies and sim.robot == robot
