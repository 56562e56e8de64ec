"""A GenSim checkout's own asset files as catalogue entries (`--gensim PATH`).

Assets are data: a URDF in the checkout's `cliport/environments/assets/` whose geometry is one
primitive (box, sphere or cylinder; collision geometry, else visual as a marking without
collision) becomes an `Asset` under its own name, sizes and placeholders read from the file
(`DIM0`-style placeholders make it a template; a sphere's or cylinder's radius is GenSim's
reading of DIM); the kitting meshes (`kitting/NN.obj`) become `meshdata` entries, their vertices,
which the mesh templates read. Other meshes, multi-part bodies and files that do not parse stay unknown. Nothing
here executes or loads the file into a simulator: the caller reads the text and sends the
entries with the job.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path

from ..checkout_files import read_text
from .assets import MAX_SIZE, MESHDATA, Asset, catalogue

ASSETS_DIR = "cliport/environments/assets"
MAX_BYTES = 50_000
MESH_DIR = "kitting"  # the checkout's mesh files its templates name (GenSim's kitting shapes)
MAX_VERTICES = 1000
MAX_FACES = 4000  # triangles
PLACEHOLDER = re.compile(r"\b(DIM|HALF|DIMX|DIMY)\d\b")


def _number(text: str, filled: dict) -> float | None:
    text = text.strip()
    if PLACEHOLDER.fullmatch(text):
        filled.add(PLACEHOLDER.fullmatch(text).group(1))
        return None
    try:
        return float(text)
    except ValueError:
        return None


def asset_from_urdf(name: str, text: str) -> Asset | None:
    """The catalogue entry for one URDF's text, or None when it is not a single primitive."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    if len(root.findall("link")) != 1:
        return None
    link = root.find("link")
    for section, collision in (("collision", True), ("visual", False)):
        geoms = [g for el in link.findall(section) for g in el.findall("geometry/*")]
        if geoms:
            break
    else:
        return None
    if len(geoms) != 1 or geoms[0].tag not in ("box", "sphere", "cylinder"):
        return None
    geom, placeholders = geoms[0], set()
    if geom.tag == "box":
        values = [_number(v, placeholders) for v in geom.get("size", "").split()]
        if len(values) != 3:
            return None
        size = tuple(v if v is not None else 0.04 for v in values)
        shape = "box" if collision else "bar"
    elif geom.tag == "sphere":
        r = _number(geom.get("radius", ""), placeholders)
        size, shape = (2 * (r if r is not None else 0.02),) * 3, "sphere"
    else:
        r = _number(geom.get("radius", ""), placeholders)
        length = _number(geom.get("length", ""), placeholders)
        r, length = (r if r is not None else 0.02), (length if length is not None else 0.04)
        size, shape = (2 * r, 2 * r, length), "cylinder"
    template = tuple(sorted(placeholders)) + (("COLOR",) if placeholders else ())
    required = tuple(sorted(placeholders))
    pickable = collision and shape in ("box", "sphere", "cylinder")
    symmetry = 0.0 if shape in ("sphere", "cylinder") else 3.141592653589793 / 2
    return Asset(name=name, shape=shape, size=size, template=template, required=required, pickable=pickable,
                 collision=collision, symmetry=symmetry, describe=f"{name} (read from the GenSim checkout)")


def dynamics_from_urdf(text: str) -> dict | None:
    """What GenSim's pybullet takes from an asset's URDF besides its shape: the mass (all links'), and
    the first link's lateral and rolling friction (`<contact>`; pybullet's defaults where absent).
    The inertia is not read: GenSim loads URDFs without URDF_USE_INERTIA_FROM_FILE, so pybullet
    computes it from the collision shape, as it does here. None when the text is not a URDF."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    links = root.findall("link")
    if not links:
        return None
    mass = 0.0
    for link in links:
        el = link.find("inertial/mass")
        value = _number(el.get("value", ""), set()) if el is not None else None
        mass += value if value is not None and value > 0 else 0.0
    out = {"mass": mass, "lateral_friction": 0.5, "rolling_friction": 0.0}
    contact = next((link.find("contact") for link in links if link.find("contact") is not None), None)
    for key in ("lateral_friction", "rolling_friction"):
        el = contact.find(key) if contact is not None else None
        value = _number(el.get("value", ""), set()) if el is not None else None
        if value is not None and value >= 0:
            out[key] = value
    return out if mass > 0 else None


def checkout_dynamics(checkout: str | Path) -> dict[str, dict]:
    """name -> `dynamics_from_urdf` for every asset URDF of the checkout, the catalogue's names too:
    in GenSim's dialect a body weighs and grips as the checkout's file says (experiments/README:
    a 10 g stacking block tips differently from a 100 g one)."""
    root = Path(checkout) / ASSETS_DIR
    out = {}
    for path in sorted(root.glob("*/*.urdf")) if root.is_dir() else []:
        text = _text(path, checkout)
        d = dynamics_from_urdf(text) if text is not None else None
        if d is not None:
            out[f"{path.parent.name}/{path.name}"] = d
    return out


def checkout_assets(checkout: str | Path) -> dict[str, dict]:
    """name -> Asset fields, for the checkout's single-primitive URDFs the catalogue lacks."""
    root = Path(checkout) / ASSETS_DIR
    known = catalogue()
    out = {}
    for path in sorted(root.glob("*/*.urdf")) if root.is_dir() else []:
        name = f"{path.parent.name}/{path.name}"
        text = None if name in known else _text(path, checkout)
        if text is None:
            continue
        asset = asset_from_urdf(name, text)
        if asset is not None and max(asset.size) <= MAX_SIZE:
            out[name] = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(asset).items()}
    for path in sorted((root / MESH_DIR).glob("*.obj")) if (root / MESH_DIR).is_dir() else []:
        text = _text(path, checkout)
        asset = mesh_from_obj(f"{MESH_DIR}/{path.name}", text) if text is not None else None
        if asset is not None:
            out[asset.name] = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(asset).items()}
    return out


def _text(path: Path, checkout) -> str | None:
    """An asset file's text: a regular file inside the checkout, at most MAX_BYTES (checkout_files)."""
    text = read_text(path, checkout, MAX_BYTES)
    return text if text is not None and len(text.encode("utf-8", "replace")) <= MAX_BYTES else None


def mesh_from_obj(name: str, text: str) -> Asset | None:
    """A Wavefront OBJ's vertices and triangles as a `meshdata` entry (read by a mesh template,
    catalogue.assets._mesh, and by GenSim's `get_target_sample_surface_points`), or None when it has no
    vertices or too many. The simulator collides a moving mesh by its vertices' convex hull, as pybullet
    does with GenSim's own URDF meshes; the triangles (`f` lines, polygons as fans) say what is inside it.
    Faces that name a vertex the file does not have are dropped with all the others (the mesh keeps its
    vertices, and nothing is ever inside it)."""
    vertices, faces = [], []
    for line in text.splitlines():
        if line.startswith("v "):
            try:
                vertices.extend(float(v) for v in line.split()[1:4])
            except ValueError:
                return None
        elif line.startswith("f ") and faces is not None:
            try:  # "f 1 2 3" or "f 1/1/1 2/2/2 3/3/3"; 1-based, negative counts back from the end
                corners = [int(part.split("/")[0]) for part in line.split()[1:]]
            except ValueError:
                faces = None
                continue
            corners = [c - 1 if c > 0 else len(vertices) // 3 + c for c in corners]
            faces.extend(x for k in range(1, len(corners) - 1) for x in (corners[0], corners[k], corners[k + 1]))
    if not vertices or len(vertices) % 3 or len(vertices) > 3 * MAX_VERTICES:
        return None
    if not all(abs(v) < 1e4 for v in vertices):
        return None
    count = len(vertices) // 3
    if faces is None or len(faces) > 3 * MAX_FACES or not all(0 <= i < count for i in faces):
        faces = []
    size = tuple(max(vertices[k::3]) - min(vertices[k::3]) for k in range(3))
    return Asset(name=name, shape=MESHDATA, size=size, describe=f"{name} (a mesh of the GenSim checkout)",
                 mesh=tuple(vertices), faces=tuple(faces))


def from_fields(fields: dict) -> Asset:
    return Asset(**{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})
