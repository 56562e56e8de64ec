"""Bodies built from primitive shapes: the catalogue's shapes as PyBullet collision/visual parts.

Each shape is a list of boxes/cylinders/spheres in the body frame (centre of the full size box,
so a body resting on the table has z = height / 2, as GenSim's get_random_pose assumes).
"""

from __future__ import annotations

import math

import pybullet as p

from ..catalogue.assets import Resolved

WALL = 0.005  # wall / rim thickness of containers, bowls and markings
MARK_HEIGHT = 0.001  # flat markings sit just above the table
MASS = {"box": 0.1, "cylinder": 0.1, "sphere": 0.05, "ell": 0.1}
DEFAULT_COLOR = (0.55, 0.55, 0.55)
# GenSim's own friction where it differs from 0.8: its small block's URDF says 0.5, and its rope links
# (made in code, no URDF) have pybullet's default, 0.5
LATERAL = {"block/small.urdf": 0.5, "rope/bead": 0.5}


def _box(cx, cy, cz, sx, sy, sz):
    return ("box", (cx, cy, cz), (sx / 2, sy / 2, sz / 2))


def parts(shape: str, size: tuple) -> list[tuple]:
    """(kind, centre, dims) parts: dims are half extents for boxes, (radius, length) for cylinders."""
    x, y, z = size
    if shape == "box" or shape == "plate":
        return [_box(0, 0, 0, x, y, z)]
    if shape == "cylinder":
        return [("cylinder", (0, 0, 0), (x / 2, z))]
    if shape == "sphere":
        return [("sphere", (0, 0, 0), (x / 2,))]
    if shape == "container":
        base = _box(0, 0, -z / 2 + WALL / 2, x, y, WALL)
        return [base, _box(0, y / 2 - WALL / 2, 0, x, WALL, z), _box(0, -y / 2 + WALL / 2, 0, x, WALL, z),
                _box(x / 2 - WALL / 2, 0, 0, WALL, y, z), _box(-x / 2 + WALL / 2, 0, 0, WALL, y, z)]
    if shape == "bowl":
        out = [("cylinder", (0, 0, -z / 2 + WALL / 2), (x / 2, WALL))]
        n, r = 12, x / 2 - WALL / 2
        chord = 2 * r * math.sin(math.pi / n) + WALL
        for i in range(n):
            a = 2 * math.pi * i / n
            out.append(("box", (r * math.cos(a), r * math.sin(a), 0), (WALL / 2, chord / 2, z / 2), a))
        return out
    if shape == "frame":  # a square outline
        h = MARK_HEIGHT
        return [_box(0, y / 2 - WALL / 2, 0, x, WALL, h), _box(0, -y / 2 + WALL / 2, 0, x, WALL, h),
                _box(x / 2 - WALL / 2, 0, 0, WALL, y, h), _box(-x / 2 + WALL / 2, 0, 0, WALL, y, h)]
    if shape == "bar":
        return [_box(0, 0, 0, x, y, max(z, MARK_HEIGHT))]
    if shape == "mesh":  # built from its vertices (create), not from parts
        return []
    if shape == "corner":  # arms along +x and +y from the origin
        h = MARK_HEIGHT
        return [_box(x / 2, 0, 0, x, WALL, h), _box(0, y / 2, 0, WALL, y, h)]
    if shape == "ell":  # a long arm along x and a short one along y, 30% wide
        w = 0.3 * min(x, y)
        return [_box(0, -y / 2 + w / 2, 0, x, w, z), _box(-x / 2 + w / 2, w / 2, 0, w, y - w, z)]
    raise ValueError(f"no builder for shape {shape!r}")


def _quat_z(angle: float) -> tuple:
    return (0.0, 0.0, math.sin(angle / 2), math.cos(angle / 2))


def _mesh(client: int, flat: tuple, rgba: list) -> tuple[list, list]:
    """A mesh body's collision shape (the convex hull of its vertices, as pybullet collides GenSim's
    moving URDF meshes) and its visual shape (the box around the vertices: pictures only)."""
    vertices = [flat[i:i + 3] for i in range(0, len(flat), 3)]
    lo = [min(v[k] for v in vertices) for k in range(3)]
    hi = [max(v[k] for v in vertices) for k in range(3)]
    col = p.createCollisionShape(p.GEOM_MESH, vertices=vertices, physicsClientId=client)
    vis = p.createVisualShape(p.GEOM_BOX, halfExtents=[(b - a) / 2 for a, b in zip(lo, hi)], rgbaColor=rgba,
                              visualFramePosition=[(a + b) / 2 for a, b in zip(lo, hi)], physicsClientId=client)
    return [col], [vis]


def create(client: int, resolved: Resolved, position, orientation, fixed: bool, color) -> int:
    """Create the body; returns its PyBullet id."""
    asset = resolved.asset
    rgba = list(color if color is not None else DEFAULT_COLOR)[:4]
    if len(rgba) == 3:
        rgba.append(1.0)
    col_ids, vis_ids = [], []
    if asset.shape == "mesh":
        col_ids, vis_ids = _mesh(client, asset.mesh, rgba)
    for part in parts(asset.shape, resolved.size):
        kind, centre, dims = part[:3]
        orn = _quat_z(part[3]) if len(part) > 3 else (0, 0, 0, 1)
        if kind == "box":
            vis = p.createVisualShape(p.GEOM_BOX, halfExtents=dims, rgbaColor=rgba, visualFramePosition=centre,
                                      visualFrameOrientation=orn, physicsClientId=client)
            col = p.createCollisionShape(p.GEOM_BOX, halfExtents=dims, collisionFramePosition=centre,
                                         collisionFrameOrientation=orn, physicsClientId=client)
        elif kind == "cylinder":
            vis = p.createVisualShape(p.GEOM_CYLINDER, radius=dims[0], length=dims[1], rgbaColor=rgba,
                                      visualFramePosition=centre, physicsClientId=client)
            col = p.createCollisionShape(p.GEOM_CYLINDER, radius=dims[0], height=dims[1],
                                         collisionFramePosition=centre, physicsClientId=client)
        else:
            vis = p.createVisualShape(p.GEOM_SPHERE, radius=dims[0], rgbaColor=rgba, visualFramePosition=centre,
                                      physicsClientId=client)
            col = p.createCollisionShape(p.GEOM_SPHERE, radius=dims[0], collisionFramePosition=centre,
                                         physicsClientId=client)
        col_ids.append(col)
        vis_ids.append(vis)
    mass = 0.0 if fixed else MASS.get(asset.shape, 0.1)
    if len(col_ids) == 1:
        body = p.createMultiBody(mass, col_ids[0] if asset.collision else -1, vis_ids[0],
                                 basePosition=position, baseOrientation=orientation, physicsClientId=client)
    else:  # compound: the first part is the base, the rest are fixed links
        n = len(col_ids) - 1
        body = p.createMultiBody(
            0.0 if fixed else mass / (n + 1), col_ids[0] if asset.collision else -1, vis_ids[0],
            basePosition=position, baseOrientation=orientation,
            linkMasses=[0.0 if fixed else mass / (n + 1)] * n,
            linkCollisionShapeIndices=col_ids[1:] if asset.collision else [-1] * n,
            linkVisualShapeIndices=vis_ids[1:], linkPositions=[(0, 0, 0)] * n,
            linkOrientations=[(0, 0, 0, 1)] * n, linkInertialFramePositions=[(0, 0, 0)] * n,
            linkInertialFrameOrientations=[(0, 0, 0, 1)] * n, linkParentIndices=[0] * n,
            linkJointTypes=[p.JOINT_FIXED] * n, linkJointAxis=[(0, 0, 1)] * n, physicsClientId=client)
    friction = {"sphere": dict(rollingFriction=0.0001, spinningFriction=0.0001)}.get(asset.shape, {})
    for link in range(-1, p.getNumJoints(body, physicsClientId=client)):
        p.changeDynamics(body, link, lateralFriction=LATERAL.get(asset.name, 0.8), **friction, physicsClientId=client)
    return body
