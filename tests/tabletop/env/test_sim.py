"""The physics world: determinism in steps, the suction tip, and what kinematics would accept."""

import math

from roboinstruct.tabletop.catalogue.assets import fill_template, resolve
from roboinstruct.tabletop.env.sim import Sim


def _scene(sim):
    block = resolve("stacking/block.urdf")
    ids = [sim.add(block, (0.4 + 0.1 * i, 0.1 * i - 0.1, 0.02), (0, 0, 0, 1), False, None) for i in range(3)]
    sim.settle()
    sim.pick_place(((0.4, -0.1, 0.04), (0, 0, 0, 1)), ((0.6, 0.2, 0.04), (0, 0, 0, 1)))
    return ids


def test_same_actions_give_a_bit_identical_state_in_fresh_worlds():
    hashes = []
    for _ in range(2):
        sim = Sim()
        _scene(sim)
        hashes.append((sim.state_hash(), sim.steps))
        sim.close()
    assert hashes[0] == hashes[1]


def test_suction_moves_the_top_object_to_the_place_pose():
    sim = Sim()
    a, b, c = _scene(sim)
    (x, y, z), _ = sim.pose(a)
    assert math.hypot(x - 0.6, y - 0.2) < 0.005 and abs(z - 0.02) < 0.003
    # stack b on c, then a pick at c's position takes b (the top), not c
    (cx, cy, _), _ = sim.pose(c)
    (bx, by, _), _ = sim.pose(b)
    sim.pick_place(((bx, by, 0.04), (0, 0, 0, 1)), ((cx, cy, 0.06 + 0.02), (0, 0, 0, 1)))
    assert abs(sim.pose(b)[0][2] - 0.06) < 0.003
    result = sim.pick_place(((cx, cy, 0.1), (0, 0, 0, 1)), ((0.3, -0.3, 0.04), (0, 0, 0, 1)))
    assert result.picked == b
    sim.close()


def test_a_ball_on_a_ball_falls_and_fixed_markings_cannot_be_picked():
    sim = Sim()
    ball = resolve(fill_template("ball/ball-template.urdf", {"DIM": (0.04,)}))
    low = sim.add(ball, (0.5, 0.0, 0.02), (0, 0, 0, 1), False, None)
    high = sim.add(ball, (0.503, 0.0, 0.06), (0, 0, 0, 1), False, None)  # 3 mm off centre
    sim.step(480)
    assert sim.pose(high)[0][2] < 0.03  # kinematics would keep it up there; physics does not
    zone = sim.add(resolve("zone/zone.urdf"), (0.35, 0.3, 0.0), (0, 0, 0, 1), True, None)
    assert sim.pick_place(((0.35, 0.3 - 0.055, 0.01), (0, 0, 0, 1)), ((0.5, 0.3, 0.1), (0, 0, 0, 1))).picked is None
    assert zone in sim.bodies and low in sim.bodies
    sim.close()


def test_interpenetration_is_reported():
    sim = Sim()
    block = resolve("stacking/block.urdf")
    a = sim.add(block, (0.5, 0.0, 0.02), (0, 0, 0, 1), False, None)
    b = sim.add(block, (0.51, 0.0, 0.02), (0, 0, 0, 1), False, None)
    deep = sim.penetrations()
    assert deep and deep[0][:2] == (a, b) and deep[0][2] > 0.02
    sim.close()


def test_a_body_sunk_into_the_table_or_a_fixed_support_is_lifted_not_reported():
    # GenSim sets bodies down at z = size_z / 2 for sizes its templates do not have (a ball whose DIM
    # is its radius starts half sunk): the solver lifts it straight out, as GenSim's reset settle does
    sim = Sim()
    ball = sim.add(resolve(fill_template("ball/ball-template.urdf", {"DIM": (0.04,)})), (0.5, 0.0, 0.02),
                   (0, 0, 0, 1), False, None)
    stand = sim.add(resolve("pallet/pallet.urdf"), (0.5, 0.25, 0.0075), (0, 0, 0, 1), True, None)  # 1.5 cm
    block = sim.add(resolve("stacking/block.urdf"), (0.5, 0.25, 0.02), (0, 0, 0, 1), False, None)
    assert sim.penetrations() == []
    sim.settle()
    assert abs(sim.pose(ball)[0][2] - sim.bodies[ball].size[2] / 2) < 0.002  # resting on the table now
    assert abs(sim.pose(block)[0][2] - 0.035) < 0.002 and stand in sim.bodies  # on the pallet
    other = sim.add(resolve("stacking/block.urdf"), sim.pose(block)[0], (0, 0, 0, 1), False, None)
    deep = sim.penetrations()  # two movable bodies in one place: still an overlap
    assert deep and deep[0][:2] == (block, other)
    sim.close()
