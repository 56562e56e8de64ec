"""The tabletop simulator: PyBullet in DIRECT mode, a table, bodies from the catalogue, and a
floating suction tip that picks the top of an object and places it.

Time is simulation steps (240 per simulated second), never wall-clock: every wait is a fixed
or velocity-bounded number of steps, so the same task, seed and settings give a bit-identical
final state under any load. Images are rendered only when asked (cameras.py, in `validate.worker.jobs.render_job`).
"""

from __future__ import annotations

import hashlib
import math
import struct
from dataclasses import asdict, dataclass

import numpy as np
import pybullet as p

from . import bodies
from ..catalogue.assets import Resolved

BOUNDS = np.array([[0.25, 0.75], [-0.5, 0.5], [0.0, 0.3]])
HZ = 240
SAFE_Z = 0.3  # the suction tip travels at this height between pick and place
FAST, SLOW = 0.01, 0.002  # metres per step: travel, and the last 5 cm of a descent
DRAG = 0.001  # metres per step of a low carry (GenSim's rope primitive moves at a tenth of its usual speed)
SETTLE_MAX = 480  # steps: an object still moving after 2 s is reported as unstable
REST_LIN, REST_ANG = 2e-3, 2e-2  # m/s, rad/s
BLADE = (0.005, 0.05, 0.04)  # metres: the spatula's thickness along a push, width across it, height
SWEEP = 0.004  # metres per step of a push
# steps a pushed pile or a rope set down is given to come to rest: 1 cm blocks sliding on each other
# and a rope's jointed links hardly ever meet settle()'s thresholds, and what an action moved has
# stopped sliding well before this
SHORT_SETTLE = 120
BLADE_LIFT = 0.003  # metres between the blade and the table as it sweeps (GenSim: its tip 5 mm up)
LIFT_NORMAL = 0.9  # |z| of a contact normal that pushes a body straight up (out of a support below it)


@dataclass
class Body:
    id: int
    name: str  # the catalogue name
    shape: str
    size: tuple
    fixed: bool
    pickable: bool
    collision: bool
    symmetry: float
    color: tuple | None


@dataclass
class ActionResult:
    picked: int | None
    steps: int
    message: str = ""
    gave_up: bool = False  # a robot's move did not converge: GenSim's timeout, which ends its episode


def yaw_quat(yaw: float) -> tuple:
    return (0.0, 0.0, math.sin(yaw / 2), math.cos(yaw / 2))


def quat_yaw(q) -> float:
    return p.getEulerFromQuaternion(q)[2]



def push_line(start: tuple, end: tuple) -> tuple[np.ndarray, np.ndarray, tuple] | None:
    """GenSim's push line between two poses' x-y: (from 2 cm behind `start`, to 5 cm short of `end`, the
    blade's yaw across the direction of travel), None for a push of no length."""
    s = np.array((float(start[0][0]), float(start[0][1]), 0.0))
    e = np.array((float(end[0][0]), float(end[0][1]), 0.0))
    length = float(np.linalg.norm(e - s))
    if length < 1e-6:
        return None
    vec = (e - s) / length
    return s - vec * 0.02, e - vec * 0.05, yaw_quat(math.atan2(vec[1], vec[0]))

class Sim:
    """One physics world. `reset()` empties it; `close()` disconnects."""

    def __init__(self):
        self.client = p.connect(p.DIRECT)
        self.reset()

    def reset(self) -> None:
        c = self.client
        p.resetSimulation(physicsClientId=c)
        p.setGravity(0, 0, -9.8, physicsClientId=c)
        p.setTimeStep(1.0 / HZ, physicsClientId=c)
        p.setPhysicsEngineParameter(deterministicOverlappingPairs=1, numSolverIterations=50, physicsClientId=c)
        plane = p.createCollisionShape(p.GEOM_PLANE, physicsClientId=c)
        vis = p.createVisualShape(p.GEOM_BOX, halfExtents=(0.5, 0.75, 0.0005), rgbaColor=(0.8, 0.75, 0.65, 1),
                                  visualFramePosition=(0.5, 0, -0.0005), physicsClientId=c)
        self.table = p.createMultiBody(0, plane, vis, physicsClientId=c)
        p.changeDynamics(self.table, -1, lateralFriction=0.8, physicsClientId=c)
        self.bodies: dict[int, Body] = {}
        self.robot: set[int] = set()  # an arm's bodies (env.arm): not scene bodies, looked through
        self.steps = 0
        # every change made to the scene before physics runs (bodies added, moved, recoloured), as
        # JSON: the scene a task declared, which a process that never ran its code rebuilds
        # (validate.worker.physics.rebuild) to run the physics, the oracle and the snapshots
        self.log: list[list] = []

    def close(self) -> None:
        try:
            p.disconnect(physicsClientId=self.client)
        except p.error:
            pass

    # -- bodies ---------------------------------------------------------------------------
    def add(self, resolved: Resolved, position, orientation, fixed: bool, color) -> int:
        body = bodies.create(self.client, resolved, position, orientation, fixed, color)
        a = resolved.asset
        self.log.append(["add", asdict(a), [float(v) for v in resolved.size], [float(v) for v in position],
                         [float(v) for v in orientation], bool(fixed), None if color is None else [float(v) for v in color]])
        self.bodies[body] = Body(body, a.name, a.shape, resolved.size, fixed, a.pickable and not fixed, a.collision,
                                 a.symmetry, color)
        return body

    def move(self, body: int, position, orientation) -> None:
        p.resetBasePositionAndOrientation(body, position, orientation, physicsClientId=self.client)
        self.log.append(["move", body, [float(v) for v in position], [float(v) for v in orientation]])

    def recolor(self, body: int, rgba) -> None:
        p.changeVisualShape(body, -1, rgbaColor=list(rgba), physicsClientId=self.client)
        self.bodies[body].color = tuple(rgba)
        self.log.append(["color", body, [float(v) for v in rgba]])

    def link(self, parent: int, child: int, distance: float) -> None:
        """A ball joint holding `child`'s origin `distance` above `parent`'s (a rope's links; GenSim's
        point-to-point constraint, 100 N)."""
        c = self.client
        cid = p.createConstraint(parent, -1, child, -1, p.JOINT_POINT2POINT, (0, 0, 0), (0, 0, float(distance)),
                                 (0, 0, 0), physicsClientId=c)
        p.changeConstraint(cid, maxForce=100, physicsClientId=c)
        self.log.append(["link", parent, child, float(distance)])

    def pose(self, body: int) -> tuple:
        pos, orn = p.getBasePositionAndOrientation(body, physicsClientId=self.client)
        return pos, orn

    def radius(self, body: int) -> float:
        """Footprint radius: half the width for round bodies, half the diagonal otherwise."""
        info = self.bodies[body]
        sx, sy = info.size[:2]
        return sx / 2 if info.shape in ("cylinder", "sphere", "bowl") else math.hypot(sx, sy) / 2

    def set_dynamics(self, body: int, mass: float, lateral: float, rolling: float) -> None:
        """A body's mass (spread over a compound's parts, as `bodies.create` spreads it) and frictions."""
        links = list(range(-1, p.getNumJoints(body, physicsClientId=self.client)))
        for link in links:
            p.changeDynamics(body, link, mass=mass / len(links), lateralFriction=lateral, rollingFriction=rolling,
                             physicsClientId=self.client)

    def grasp_points(self, body: int) -> list[tuple[float, float]]:
        """Where a suction tip can touch the body from above: its centre, then each part's centre
        (an L-shaped block has nothing at its origin)."""
        pos, orn = self.pose(body)
        info = self.bodies[body]
        points = [(pos[0], pos[1])]
        for part in bodies.parts(info.shape, info.size):
            world, _ = p.multiplyTransforms(pos, orn, part[1], (0, 0, 0, 1))
            points.append((world[0], world[1]))
        return points

    def dynamic(self) -> list[int]:
        return [b for b, info in self.bodies.items() if not info.fixed and info.collision]

    # -- time -----------------------------------------------------------------------------
    def step(self, n: int = 1) -> None:
        for _ in range(n):
            p.stepSimulation(physicsClientId=self.client)
        self.steps += n

    def settle(self, max_steps: int = SETTLE_MAX) -> bool:
        """Step until every dynamic body is at rest (5 steps in a row); False if it never is."""
        quiet = 0
        dynamic = self.dynamic()  # no body comes or goes while the scene settles
        for _ in range(max_steps):
            self.step()
            moving = False
            for b in dynamic:
                lin, ang = p.getBaseVelocity(b, physicsClientId=self.client)
                if math.hypot(*lin) > REST_LIN or math.hypot(*ang) > REST_ANG:
                    moving = True
                    break
            quiet = 0 if moving else quiet + 1
            if quiet >= 5:
                return True
        return False

    # -- queries --------------------------------------------------------------------------
    def top_body_at(self, x: float, y: float) -> tuple[int | None, float]:
        """The body a downward ray at (x, y) hits first, and the hit height (the suction's view); an
        arm (`robot`) is looked through, as GenSim's oracle camera sees no arm hovering above 0.3 m."""
        top = SAFE_Z + 0.2
        while True:
            hit = p.rayTest((x, y, top), (x, y, -0.01), physicsClientId=self.client)[0]
            body, z = hit[0], hit[3][2]
            if body not in self.robot:
                break
            top = min(z, top) - 0.005  # below the arm's part (a ray starting inside it hits it at once)
        if body < 0 or body == self.table:
            return None, 0.0
        return body, z

    def penetrations(self, depth: float = 0.005) -> list[tuple[int, int, float]]:
        """Pairs of bodies (table included) interpenetrating deeper than `depth` metres; two fixed
        bodies (a fixture sunk into the table) cannot push each other and are left out, and so is a
        body sunk into the table or a fixed support from above (the contact normal vertical): the
        solver lifts it straight out, as GenSim's own reset does while it waits for the scene to be
        static (its pose sampler puts every body at z = size_z / 2, so a ball whose template reads
        DIM as a radius starts half sunk). Whether it then stays put is `settle`'s to say."""
        p.performCollisionDetection(physicsClientId=self.client)
        worst: dict[tuple[int, int], float] = {}
        for c in p.getContactPoints(physicsClientId=self.client):
            a, b, dist = c[1], c[2], c[8]
            if a == b or dist > -depth or (self._fixed(a) and self._fixed(b)) or a in self.robot or b in self.robot:
                continue
            if (self._fixed(a) or self._fixed(b)) and abs(c[7][2]) > LIFT_NORMAL:
                continue
            key = (min(a, b), max(a, b))
            worst[key] = min(worst.get(key, 0.0), dist)
        return [(a, b, -d) for (a, b), d in sorted(worst.items())]

    def _fixed(self, body: int) -> bool:
        return body == self.table or (body in self.bodies and self.bodies[body].fixed)

    def contacts(self, body: int) -> list[int]:
        return sorted({c[2] for c in p.getContactPoints(bodyA=body, physicsClientId=self.client)} - self.robot)

    def state_hash(self) -> str:
        """sha256 of every body's exact pose: equal hashes mean bit-identical states."""
        h = hashlib.sha256()
        for b in sorted(self.bodies):
            pos, orn = self.pose(b)
            h.update(struct.pack("<i7d", b, *pos, *orn))
        return h.hexdigest()[:16]

    # -- the suction tip --------------------------------------------------------------------
    def pick_place(self, pick: tuple, place: tuple, lift: float | None = None, hold: bool = True) -> ActionResult:
        """Pick whatever is on top at the pick pose's (x, y) and carry it so the tip ends at the
        place pose (Ravens' convention: both poses are the tip's); descends until contact. `lift`
        (GenSim's PickPlace(height=...), its rope primitive): raise the object only that much above
        the pick, carry it slowly at that height over the place and set it down, so a rope drags.
        `hold` (this project's dialect): hold still 10 steps at contact and let go of an object at rest;
        False (GenSim's dialect): GenSim's suction lets go the moment the carried object touches
        anything and the arm rises at once, so the object keeps the motion it had (a roof block
        landing on one wall's edge tips, a cylinder set on a cylinder rocks)."""
        start = self.steps
        (px, py, _), pick_orn = tuple(pick[0]), tuple(pick[1])
        body, top = self.top_body_at(px, py)
        if body is None:
            return ActionResult(None, 0, f"nothing to pick at ({px:.3f}, {py:.3f})")
        if not self.bodies[body].pickable:
            return ActionResult(None, 0, f"object {body} ({self.bodies[body].name}) cannot be picked")
        tip_pick = ((px, py, top), pick_orn)
        obj_pose = self.pose(body)
        inv = p.invertTransform(*tip_pick)
        obj_in_tip = p.multiplyTransforms(inv[0], inv[1], *obj_pose)
        c = self.client
        cid = p.createConstraint(body, -1, -1, -1, p.JOINT_FIXED, (0, 0, 0), (0, 0, 0), obj_pose[0],
                                 childFrameOrientation=obj_pose[1], physicsClientId=c)

        def drive(tip_pos, tip_orn):
            pos, orn = p.multiplyTransforms(tip_pos, tip_orn, *obj_in_tip)
            p.changeConstraint(cid, jointChildPivot=pos, jointChildFrameOrientation=orn, maxForce=200,
                               physicsClientId=c)
            self.step()

        place_pos, place_orn = tuple(place[0]), tuple(place[1])
        yaw0, yaw1 = quat_yaw(pick_orn), quat_yaw(place_orn)
        tip = np.array(tip_pick[0], dtype=float)
        if lift is None:
            legs = (((px, py, SAFE_Z), FAST, False), ((place_pos[0], place_pos[1], SAFE_Z), FAST, True),
                    ((place_pos[0], place_pos[1], place_pos[2] + 0.05), FAST, None), (place_pos, SLOW, None))
        else:
            legs = (((px, py, top + lift), DRAG, False),
                    ((place_pos[0], place_pos[1], place_pos[2] + lift), DRAG, True), (place_pos, DRAG, None))
        for target, speed, turn in legs:
            goal = np.array(target, dtype=float)
            n = max(1, int(math.ceil(np.linalg.norm(goal - tip) / speed)))
            origin = tip.copy()
            for i in range(1, n + 1):
                tip = origin + (goal - origin) * (i / n)
                yaw = yaw0 if turn is False else yaw1 if turn is None else yaw0 + (yaw1 - yaw0) * i / n
                drive(tuple(tip), yaw_quat(yaw))
                if turn is None and self.contacts(body):
                    break
            else:
                continue
            break
        if hold:
            self.step(10)  # hold still before letting go
        p.removeConstraint(cid, physicsClientId=c)
        if hold:
            p.resetBaseVelocity(body, (0, 0, 0), (0, 0, 0), physicsClientId=c)
        self.settle(SETTLE_MAX if lift is None else SHORT_SETTLE)
        return ActionResult(body, self.steps - start)

    # -- the spatula (GenSim's push primitive, its piles) --------------------------------------
    def push(self, start: tuple, end: tuple) -> ActionResult:
        """GenSim's push: a spatula blade set down 2 cm behind `start` (x-y), turned across the
        direction of travel, swept 5 mm over the table to 5 cm short of `end`, and lifted away;
        whatever is in front of it moves. The blade is no scene body: it exists for this push only."""
        line = push_line(start, end)
        if line is None:
            return ActionResult(None, 0, "a push of no length")
        s, e, orn = line
        z = BLADE_LIFT + BLADE[2] / 2
        c, begin = self.client, self.steps
        half = [v / 2 for v in BLADE]
        blade = p.createMultiBody(1.0, p.createCollisionShape(p.GEOM_BOX, halfExtents=half, physicsClientId=c),
                                  p.createVisualShape(p.GEOM_BOX, halfExtents=half, rgbaColor=(0.2, 0.2, 0.2, 1),
                                                      physicsClientId=c),
                                  basePosition=(s[0], s[1], SAFE_Z), baseOrientation=orn, physicsClientId=c)
        p.changeDynamics(blade, -1, lateralFriction=1.0, physicsClientId=c)
        cid = p.createConstraint(blade, -1, -1, -1, p.JOINT_FIXED, (0, 0, 0), (0, 0, 0), (s[0], s[1], SAFE_Z),
                                 childFrameOrientation=orn, physicsClientId=c)
        tip = np.array((s[0], s[1], SAFE_Z))
        for target, speed in (((s[0], s[1], z + 0.05), FAST), ((s[0], s[1], z), SLOW), ((e[0], e[1], z), SWEEP),
                              ((e[0], e[1], z + 0.05), FAST)):
            goal = np.array(target, dtype=float)
            n = max(1, int(math.ceil(np.linalg.norm(goal - tip) / speed)))
            origin = tip.copy()
            for i in range(1, n + 1):
                tip = origin + (goal - origin) * (i / n)
                p.changeConstraint(cid, jointChildPivot=tuple(tip), jointChildFrameOrientation=orn, maxForce=1000,
                                   physicsClientId=c)
                self.step()
        p.removeConstraint(cid, physicsClientId=c)
        p.removeBody(blade, physicsClientId=c)
        self.settle(SHORT_SETTLE)
        return ActionResult(None, self.steps - begin)

