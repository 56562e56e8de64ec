"""A real arm for the tabletop simulator (`--robot arm`): the Franka Panda that ships inside the
pybullet wheel (`pybullet_data`), base at the origin where GenSim's UR5 stands, with a suction cup
at its flange, driven the way GenSim's environment drives its UR5.

What it adds to the floating tip (`Sim.pick_place`, the fast default): reach (the tip can go
anywhere; the Panda's top-down reach at table height is ~0.8 m from the base, about what GenSim's
UR5 reaches with its single IK call), the arm's own links and the carried object sweeping through
the scene on a joint-space path, and GenSim's suction semantics. Its motion is GenSim's primitive
(read for semantics in GenSim's environment and PickPlace; none of its code is used):

- a pose move solves IK once and moves the joints towards that solution at a constant joint speed
  (0.01 rad a step at 480 Hz there, the same rad/s here at 240 Hz) until every joint is within
  0.01 rad of it, so the tip ends a few millimetres off the pose, as GenSim's does;
- pick: over the pick pose (0.32 m up), then down 1 mm per pose move until the cup touches
  anything; the suction grabs the body the cup touches if it is a movable one (a fixed constraint
  at the pose it has), whatever the oracle meant; up to `height` above the pick;
- place: to `height` above the place pose (one joint-space move from the pick), then down 1 mm per
  pose move until the held object touches anything; release at once (no settling in the air), and
  up 0.32 m;
- a move whose joints do not converge (a link blocked, a pose out of reach) gives up: GenSim's
  5 s wall-clock timeout, here MOVE_STEPS simulated steps so the verdict does not depend on load.
  GenSim ends the episode there (the action's reward is not counted); `ActionResult.gave_up` says so.

The arm and its cup are not scene bodies: `Sim.robot` holds their ids, and the scene's queries
(what is on top, interpenetration, contacts) look through them. A push (GenSim's spatula) mounts a
blade at the cup's tip for that push and moves it with the arm's joints (`Arm.push`).
"""

from __future__ import annotations

import math
import os

import numpy as np
import pybullet as p
import pybullet_data

from .sim import ActionResult, Sim, push_line

URDF = os.path.join("franka_panda", "panda.urdf")
ARM_JOINTS = tuple(range(7))
FINGERS = (9, 10)
FLANGE = 11  # panda_grasptarget: between the closed fingers' tips
HOME = (0.0, -0.4, 0.0, -2.4, 0.0, 2.0, math.pi / 4)  # over the workspace's near edge, cup down
DOWN = p.getQuaternionFromEuler((math.pi, 0.0, 0.0))  # the flange's z axis pointing at the table
# a suction rod as long as GenSim's suction head below its UR5's flange, so the Panda's wide hand stays
# above a container's walls while the cup reaches in (a 3 cm cup had the hand against them)
CUP_RADIUS, CUP_LENGTH, CUP_MASS = 0.01, 0.10, 0.1
CUP_FORCE = 100.0  # N: the cup hangs from the flange compliantly, as GenSim's suction head does
JOINT_SPEED = 0.02  # rad per step (GenSim: 0.01 per step at 480 Hz)
JOINT_TOL = 1e-2  # rad: a joint move is done when every joint is this close to its IK solution
MOVE_STEPS = 1200  # steps (5 simulated seconds) before a joint move gives up
APPROACH = 0.32  # metres above the pick and place poses the arm comes from and returns to
DESCENT = 0.001  # metres per pose move while lowering onto contact
STRIDE = 0.01  # metres between IK solves along a descent (joint-space interpolation between)
FLOOR = -0.02  # metres: a descent whose target passes below the table without contact gives up
REACHED = 0.01  # metres: `move_to` counts a pose reached when the cup's tip is this close
SETTLE = 480  # steps after an action for the scene to come to rest (Sim.settle)
# GenSim's spatula push: the blade's size (its spatula-base tip: 5 cm across, 5 mm thick; taller here, so
# the blade's top is never under a pile's blocks), its height over the table while sweeping, the height it
# comes from, and the sweep's joint speed (GenSim: 0.003 rad a step at 480 Hz)
BLADE = (0.005, 0.05, 0.04)
BLADE_MASS = 0.1
BLADE_BELOW = 0.005  # metres the blade's lower edge reaches below the cup's tip (GenSim: 5 mm below its
# tool tip, so a sweep 5 mm up scrapes the table and takes 1 cm blocks whole)
PUSH_Z, PUSH_OVER = 0.005, 0.31
PUSH_SPEED = 0.006
IK_ROUNDS = 3  # IK solves per start, each from the last one's answer
IK_GOOD = 1e-3  # metres (and radians / 10) off the pose: good enough, stop refining

_TWIN: tuple[int, int] | None = None


def _twin() -> tuple[int, int]:
    """(client, body): the Panda alone in a world of its own, for kinematics only (made once a process)."""
    global _TWIN
    if _TWIN is None:
        c = p.connect(p.DIRECT)
        _TWIN = c, p.loadURDF(os.path.join(pybullet_data.getDataPath(), URDF), (0, 0, 0), useFixedBase=True,
                              physicsClientId=c)
    return _TWIN


def _pose_error(c: int, body: int, q, pos, orn) -> float:
    """How far joint angles `q` put the flange from (pos, orn): metres plus a tenth of the angle in radians."""
    for j, v in zip(ARM_JOINTS, q):
        p.resetJointState(body, j, float(v), physicsClientId=c)
    s = p.getLinkState(body, FLANGE, computeForwardKinematics=True, physicsClientId=c)
    d = float(np.linalg.norm(np.array(s[4]) - np.array(pos)))
    dot = abs(float(np.dot(s[5], orn)))
    return d + 0.1 * 2 * math.acos(min(1.0, dot))


class Arm:
    """The Panda and its suction cup, loaded into `sim`'s current world (after the scene, so the
    scene's body ids stay the ones it declared). One per episode: `Sim.reset` removes it."""

    def __init__(self, sim: Sim):
        self.sim = sim
        c = self.client = sim.client
        path = os.path.join(pybullet_data.getDataPath(), URDF)
        self.body = p.loadURDF(path, (0, 0, 0), useFixedBase=True, physicsClientId=c)
        for j, q in zip(ARM_JOINTS, HOME):
            p.resetJointState(self.body, j, q, physicsClientId=c)
        for j in FINGERS:  # closed: the cup, not the fingers, is the end effector
            p.resetJointState(self.body, j, 0.0, physicsClientId=c)
            p.setJointMotorControl2(self.body, j, p.POSITION_CONTROL, targetPosition=0.0, force=50, physicsClientId=c)
        info = [p.getJointInfo(self.body, j, physicsClientId=c) for j in ARM_JOINTS]
        self.lower = [i[8] for i in info]
        self.upper = [i[9] for i in info]
        flange = p.getLinkState(self.body, FLANGE, computeForwardKinematics=True, physicsClientId=c)
        centre, _ = p.multiplyTransforms(flange[4], flange[5], (0, 0, CUP_LENGTH / 2), (0, 0, 0, 1))
        shape = p.createCollisionShape(p.GEOM_CYLINDER, radius=CUP_RADIUS, height=CUP_LENGTH, physicsClientId=c)
        look = p.createVisualShape(p.GEOM_CYLINDER, radius=CUP_RADIUS, length=CUP_LENGTH, rgbaColor=(0.2, 0.2, 0.2, 1),
                                   physicsClientId=c)
        self.cup = p.createMultiBody(CUP_MASS, shape, look, basePosition=centre, baseOrientation=flange[5],
                                     physicsClientId=c)
        p.changeDynamics(self.cup, -1, lateralFriction=1.0, physicsClientId=c)
        mount = p.createConstraint(self.body, FLANGE, self.cup, -1, p.JOINT_FIXED, (0, 0, 0), (0, 0, 0),
                                   (0, 0, -CUP_LENGTH / 2), physicsClientId=c)
        p.changeConstraint(mount, maxForce=CUP_FORCE, physicsClientId=c)
        for link in range(-1, p.getNumJoints(self.body, physicsClientId=c)):
            p.setCollisionFilterPair(self.body, self.cup, link, -1, 0, physicsClientId=c)
        sim.robot.update((self.body, self.cup))
        self._last = None  # (position, orientation, joints): the last pose IK solved well
        self.grip: int | None = None  # the suction's constraint while it holds something
        self.held: int | None = None

    # -- where the cup is ---------------------------------------------------------------------
    def tip(self) -> tuple:
        """The cup's tip (its bottom face's centre) and the flange's orientation."""
        s = p.getLinkState(self.body, FLANGE, computeForwardKinematics=True, physicsClientId=self.client)
        pos, _ = p.multiplyTransforms(s[4], s[5], (0, 0, CUP_LENGTH), (0, 0, 0, 1))
        return pos, s[5]

    def joints(self) -> np.ndarray:
        return np.array([p.getJointState(self.body, j, physicsClientId=self.client)[0] for j in ARM_JOINTS])

    def solve_ik(self, pose) -> np.ndarray:
        """Joint angles that put the cup's tip at `pose` (a tip pose, Ravens' convention: identity =
        cup pointing down). Solved on a kinematic twin of the arm (`_twin`: a second physics world
        holding only the Panda, so solving never touches this world's state), refined from HOME, so
        a pose has one answer wherever the arm is (a redundant arm's IK started from where it is
        drifts along a descent into elbow-down poses and onto the table, which a UR5's six joints
        do not), then from where the arm is if HOME's answer misses. The
        best solution is returned even when the pose is out of reach (as GenSim's IK does), so the
        move goes as near as the arm gets."""
        (x, y, z), orn = pose
        flange_orn = p.multiplyTransforms((0, 0, 0), orn, (0, 0, 0), DOWN)[1]
        flange_pos, _ = p.multiplyTransforms((x, y, z), flange_orn, (0, 0, -CUP_LENGTH), (0, 0, 0, 1))
        c, twin = _twin()
        best, best_err = None, math.inf
        for start in self._starts((x, y, z), orn):
            q = start
            for _ in range(IK_ROUNDS):
                for j, v in zip(ARM_JOINTS, q):
                    p.resetJointState(twin, j, float(v), physicsClientId=c)
                # null-space IK wants a limit, range and rest pose for every movable joint (the two
                # fingers too), or it silently drops them and the arm wanders off its rest pose
                q = np.clip(np.array(p.calculateInverseKinematics(
                    twin, FLANGE, flange_pos, flange_orn, lowerLimits=self.lower + [0.0, 0.0],
                    upperLimits=self.upper + [0.04, 0.04],
                    jointRanges=[u - lo for lo, u in zip(self.lower, self.upper)] + [0.04, 0.04],
                    restPoses=list(start) + [0.0, 0.0], maxNumIterations=100, residualThreshold=1e-5,
                    physicsClientId=c)[:len(ARM_JOINTS)]), self.lower, self.upper)
                err = _pose_error(c, twin, q, flange_pos, flange_orn)
                if err < best_err:
                    best, best_err = q, err
                if err < IK_GOOD:
                    self._last = ((x, y, z), tuple(orn), q)
                    return q
        return best

    def _starts(self, pos, orn) -> list:
        """Where IK starts from: the last answer when the pose is next to the last one (a descent: the
        same posture all the way down), then HOME turned towards the pose with the wrist turned for
        its yaw (the Panda's last joint spans 340 degrees, not a UR5's full turns), either way round,
        then where the arm is."""
        out = []
        if self._last is not None and math.dist(pos, self._last[0]) < 0.02 and tuple(orn) == self._last[1]:
            out.append(self._last[2])
        base = math.atan2(pos[1], pos[0])
        yaw = p.getEulerFromQuaternion(orn)[2]
        for sign in (1.0, -1.0):
            q = np.array(HOME)
            q[0] = base
            turn = (HOME[6] + sign * (yaw - base) + math.pi) % (2 * math.pi) - math.pi
            q[6] = min(max(turn, self.lower[6]), self.upper[6])
            out.append(q)
        out.append(self.joints())
        return out

    # -- moving -------------------------------------------------------------------------------
    def movej(self, target: np.ndarray, speed: float = JOINT_SPEED) -> bool:
        """Joints towards `target` at a constant joint speed until all are within JOINT_TOL; True if
        it gave up after MOVE_STEPS (blocked, or a solution the joints cannot hold)."""
        c = self.client
        for _ in range(MOVE_STEPS):
            now = self.joints()
            gap = target - now
            if np.all(np.abs(gap) < JOINT_TOL):
                return False
            step = now + gap / np.linalg.norm(gap) * speed
            p.setJointMotorControlArray(self.body, ARM_JOINTS, p.POSITION_CONTROL, targetPositions=list(step),
                                        positionGains=[1.0] * len(ARM_JOINTS), physicsClientId=c)
            self.sim.step()
        return True

    def movep(self, pose, speed: float = JOINT_SPEED) -> bool:
        return self.movej(self.solve_ik(pose), speed)

    def move_to(self, pose) -> bool:
        """Move the cup's tip to `pose`; whether it got there (within REACHED): False for a pose out
        of the arm's reach or a move that gave up."""
        if self.movep(pose):
            return False
        return float(np.linalg.norm(np.array(self.tip()[0]) - np.array(pose[0]))) <= REACHED

    # -- the suction ----------------------------------------------------------------------------
    def _touching(self, body: int) -> list[int]:
        """Bodies in contact with `body`, the arm and its cup left out."""
        pts = p.getContactPoints(bodyA=body, physicsClientId=self.client)
        return [c[2] for c in pts if c[2] not in self.sim.robot]

    def activate(self) -> int | None:
        """Suction on: hold the movable scene body the cup touches (the last contact's, as GenSim's
        gripper takes it) where it is; None when the cup touches nothing it can hold."""
        touched = self._touching(self.cup)
        if not touched:
            return None
        body = touched[-1]
        info = self.sim.bodies.get(body)
        if info is None or info.fixed:
            return None
        c = self.client
        cup_pose = p.getBasePositionAndOrientation(self.cup, physicsClientId=c)
        obj_pose = p.getBasePositionAndOrientation(body, physicsClientId=c)
        inv = p.invertTransform(*cup_pose)
        rel = p.multiplyTransforms(inv[0], inv[1], *obj_pose)
        self.grip = p.createConstraint(self.cup, -1, body, -1, p.JOINT_FIXED, (0, 0, 0), rel[0], (0, 0, 0),
                                       parentFrameOrientation=rel[1], physicsClientId=c)
        self.held = body
        return body

    def release(self) -> None:
        if self.grip is not None:
            p.removeConstraint(self.grip, physicsClientId=self.client)
        self.grip, self.held = None, None

    def _blocked(self) -> str:
        """What the arm's links (not its cup) are pressing against, in words ("" if nothing)."""
        hits = sorted({c[2] for c in p.getContactPoints(bodyA=self.body, physicsClientId=self.client)
                       if c[3] > 0 or c[2] != self.sim.table} - self.sim.robot)  # its base stands on the table
        names = [f"object {b} ({self.sim.bodies[b].name})" if b in self.sim.bodies else "the table" for b in hits]
        return f": its links are against {', '.join(names)}" if names else ""

    def _descend(self, start, speed: float, contact) -> bool:
        """From `start`, lower the target 1 mm per pose move until `contact()`; True if it gave up.
        IK is solved every STRIDE (1 cm) and the millimetres between are interpolated in joint
        space: the solutions 1 mm apart differ by far less than JOINT_TOL, and a tenth of the solves
        is most of the arm's cost."""
        (x, y, z0), orn = start
        per = round(STRIDE / DESCENT)
        cache: dict[int, np.ndarray] = {}

        def at(level: int) -> np.ndarray:
            if level not in cache:
                cache[level] = self.solve_ik(((x, y, z0 - level * STRIDE), orn))
            return cache[level]

        k = 0
        while not contact():
            k += 1
            if z0 - k * DESCENT < FLOOR:
                return True
            level, frac = divmod(k, per)
            q = at(level) if frac == 0 else at(level) + (at(level + 1) - at(level)) * (frac / per)
            if self.movej(q, speed):
                return True
        return False

    # -- GenSim's pick and place ------------------------------------------------------------------
    def pick_place(self, pick: tuple, place: tuple, lift: float | None = None) -> ActionResult:
        """GenSim's PickPlace on this arm (pick and place are tip poses). `lift`: GenSim's
        PickPlace(height=...) for ropes, carried that high and at a tenth of the speed."""
        sim, start = self.sim, self.sim.steps
        height = APPROACH if lift is None else lift
        slow = JOINT_SPEED if lift is None else JOINT_SPEED / 10
        pick_pos, pick_orn = tuple(pick[0]), tuple(pick[1])
        place_pos, place_orn = tuple(place[0]), tuple(place[1])

        def up(pos, dz):
            return (pos[0], pos[1], pos[2] + dz)

        def fail(what: str) -> ActionResult:
            self.release()
            return ActionResult(None, sim.steps - start, f"the arm gave up {what}{self._blocked()}", gave_up=True)

        prepick = (up(pick_pos, APPROACH), pick_orn)
        if self.movep(prepick) or self._descend(prepick, JOINT_SPEED, lambda: bool(self._touching(self.cup))):
            return fail(f"reaching down to the pick at ({pick_pos[0]:.3f}, {pick_pos[1]:.3f})")
        body = self.activate()
        if self.movep((up(pick_pos, height), pick_orn), slow):
            return fail("lifting from the pick")
        if body is None:
            self.release()
            if self.movep(prepick):
                return fail("backing off an empty pick")
            sim.settle(SETTLE)
            return ActionResult(None, sim.steps - start, f"the suction held nothing at ({pick_pos[0]:.3f}, {pick_pos[1]:.3f})")
        preplace = (up(place_pos, height), place_orn)
        if self._descend(preplace, slow, lambda: bool(self._touching(body))):
            return fail(f"lowering onto the place at ({place_pos[0]:.3f}, {place_pos[1]:.3f})")
        self.release()
        if self.movep((up(place_pos, APPROACH), place_orn)):
            return fail("rising from the place")
        sim.settle(SETTLE)
        return ActionResult(body, sim.steps - start)

    def push(self, start: tuple, end: tuple) -> ActionResult:
        """GenSim's push on this arm: a spatula blade (GenSim's: 5 cm across the push, 5 mm thick) at
        the cup's tip, moved by pose moves as GenSim's primitive moves its UR5: over the start, down to
        5 mm above the table 2 cm behind it, to 5 cm short of the end, up. Each pose move is one IK
        solve and a joint-space move (GenSim's sweep loop aims every step at the end: one move), so
        the blade follows the arc the joints make between the two solutions, not a straight line,
        and can rise off the table mid-sweep and pass over what it should push, as GenSim's does."""
        sim, begin, c = self.sim, self.sim.steps, self.client
        line = push_line(start, end)
        if line is None:
            return ActionResult(None, 0, "a push of no length")
        s, e, orn = line
        blade = self._mount_blade()
        try:
            for (x, y), z, speed in (((s[0], s[1]), PUSH_OVER, JOINT_SPEED), ((s[0], s[1]), PUSH_Z, JOINT_SPEED),
                                     ((e[0], e[1]), PUSH_Z, PUSH_SPEED), ((e[0], e[1]), PUSH_OVER, JOINT_SPEED)):
                if self.movep(((x, y, z), orn), speed):
                    return ActionResult(None, sim.steps - begin, f"the arm gave up pushing{self._blocked()}",
                                        gave_up=True)
        finally:
            mount, body = blade
            p.removeConstraint(mount, physicsClientId=c)
            p.removeBody(body, physicsClientId=c)
            sim.robot.discard(body)
        sim.settle(SETTLE)
        return ActionResult(None, sim.steps - begin)

    def _mount_blade(self) -> list:
        """The spatula blade fixed at the cup's tip, its lower edge BLADE_BELOW under it, thin side along
        the flange's x axis (the push direction); (its constraint, its body), to remove after the push."""
        c = self.client
        half = [v / 2 for v in BLADE]
        pos, orn = self.tip()  # the flange's z axis points at the table: +z is down
        below = BLADE_BELOW - half[2]  # the blade's centre from the cup's tip, along that axis
        centre, _ = p.multiplyTransforms(pos, orn, (0, 0, below), (0, 0, 0, 1))
        body = p.createMultiBody(BLADE_MASS, p.createCollisionShape(p.GEOM_BOX, halfExtents=half, physicsClientId=c),
                                 p.createVisualShape(p.GEOM_BOX, halfExtents=half, rgbaColor=(0.2, 0.2, 0.2, 1),
                                                     physicsClientId=c),
                                 basePosition=centre, baseOrientation=orn, physicsClientId=c)
        p.changeDynamics(body, -1, lateralFriction=1.0, physicsClientId=c)
        mount = p.createConstraint(self.cup, -1, body, -1, p.JOINT_FIXED, (0, 0, 0), (0, 0, CUP_LENGTH / 2),
                                   (0, 0, -below), physicsClientId=c)
        p.changeConstraint(mount, maxForce=CUP_FORCE * 10, physicsClientId=c)
        for link in range(-1, p.getNumJoints(self.body, physicsClientId=c)):
            p.setCollisionFilterPair(self.body, body, link, -1, 0, physicsClientId=c)
        p.setCollisionFilterPair(self.cup, body, -1, -1, 0, physicsClientId=c)
        self.sim.robot.add(body)
        return mount, body

