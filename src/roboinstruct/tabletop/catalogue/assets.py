"""The asset catalogue (catalogue.yaml) and how a task's asset reference becomes a shape.

A reference is a catalogue name ("stacking/block.urdf") or what `fill_template` returned: the
template's name plus its filled placeholders ("box/box-template.urdf?{...}"). Nothing is a file:
`fill_template` writes no temporary URDF (GenSim does), so task code never needs the file system.
Unknown names and unfilled templates raise `TaskDefect` with the stage that names them —
GenSim silently turns the first into a block and the second into a random size.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from ..errors import TaskDefect, Unsupported
from . import gensim

SHAPES = {"box", "cylinder", "sphere", "container", "bowl", "plate", "ell", "frame", "corner", "bar", "mesh",
          "unsupported"}
MESHDATA = "meshdata"  # a checkout's mesh file (catalogue.urdf): read by a mesh template, never added itself
MIN_SIZE, MAX_SIZE = 0.005, 0.5  # metres: a template filled outside this is a defect, not a body


@dataclass(frozen=True)
class Asset:
    name: str
    shape: str
    size: tuple = (0.0, 0.0, 0.0)
    template: tuple = ()
    required: tuple = ()  # each entry: "A" or "A|B" (one of them)
    pickable: bool = False
    collision: bool = True
    symmetry: float = 0.0
    describe: str = ""
    reason: str = ""  # for unsupported assets
    mesh: tuple = ()  # shape "mesh": its vertices, scaled, flat (x, y, z, x, ...), in the body's frame
    faces: tuple = ()  # meshdata: its triangles, flat vertex indices (a, b, c, a, ...), for inside tests
    offered: bool = True  # listed in the prompt's asset list


@dataclass(frozen=True)
class Resolved:
    """A reference resolved to what the simulator builds."""

    asset: Asset
    size: tuple
    color: tuple | None = None
    filled: dict = field(default_factory=dict)


def _angle(text) -> float:
    if isinstance(text, (int, float)):
        return float(text)
    expr = str(text).replace(" ", "")
    num, _, den = expr.partition("/")
    factor = float(num.replace("pi", "").rstrip("*") or 1) if "pi" in num else float(num)
    value = factor * math.pi if "pi" in num else factor
    return value / float(den) if den else value


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Asset]:
    data = yaml.safe_load(resources.files(__package__).joinpath("catalogue.yaml").read_text())
    assets = {}
    for name, spec in data["assets"].items():
        shape = spec["shape"]
        if shape not in SHAPES:
            raise ValueError(f"catalogue.yaml: asset {name!r} has unknown shape {shape!r}")
        assets[name] = Asset(
            name=name, shape=shape, size=tuple(float(v) for v in spec.get("size", (0, 0, 0))),
            template=tuple(spec.get("template", ())), required=tuple(spec.get("required", ())),
            pickable=bool(spec.get("pickable", False)), collision=bool(spec.get("collision", True)),
            symmetry=_angle(spec.get("symmetry", 0)), describe=spec.get("describe", ""),
            reason=spec.get("reason", ""), offered=bool(spec.get("offered", True)))
    return assets


def asset_list_text() -> str:
    """The prompt's asset list, rendered from the catalogue (never written by hand)."""
    lines = []
    for a in catalogue().values():
        if a.shape in ("unsupported", "mesh") or not a.offered:
            continue
        fill = f" [template: {', '.join(a.template)}]" if a.template else ""
        lines.append(f"- '{a.name}': {a.describe}{fill}")
    return "\n".join(lines)


def _numbers(value, what: str) -> tuple:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = (value,)
    try:
        out = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise TaskDefect("templates", f"{what} must be numbers, got {value!r}") from None
    if not out or any(not math.isfinite(v) for v in out):
        raise TaskDefect("templates", f"{what} must be finite numbers, got {value!r}")
    return out


def fill_template(template, replace) -> str:
    """The reference for `template` with `replace` filled in (validated when the object is added)."""
    if not isinstance(template, str):
        raise TaskDefect("templates", f"fill_template: the template must be a name string, got {template!r}")
    if "?" in template:  # already filled: GenSim finds no such template file and returns the name unchanged
        return template
    if not isinstance(replace, dict):
        raise TaskDefect("templates", f"fill_template: replace must be a dict of placeholders, got {replace!r}")
    filled = {}
    for key, value in replace.items():
        if not isinstance(key, str):
            raise TaskDefect("templates", f"fill_template: placeholder names must be strings, got {key!r}")
        if key == "COLOR" and isinstance(value, str):
            filled[key] = value
        elif key in ("FNAME",):
            filled[key] = str(value)
        else:
            filled[key] = list(_numbers(value, f"placeholder {key} of {template}"))
    return f"{template}?{json.dumps(filled, sort_keys=True)}"


def _size_from(asset: Asset, filled: dict) -> tuple:
    if asset.shape == "corner":
        return (filled["DIMX"][0], filled["DIMY"][0], 0.0)
    if "DIM" in filled:
        dims = filled["DIM"]
    else:
        dims = [2 * v for v in filled["HALF"]]
    if len(dims) == 1:
        dims = dims * 3
    if len(dims) == 2:  # (diameter, height)-style: x = y
        dims = [dims[0], dims[0], dims[1]]
    return tuple(dims[:3])


def resolve(reference, gensim_uniform=None, extra: dict | None = None) -> Resolved:
    """Resolve a reference; raises TaskDefect('assets'|'templates', ...) or Unsupported.
    `gensim_uniform` (np.random.uniform-like): GenSim's dialect — an unfilled template gets GenSim's
    dummy sizes and cylinder/ball DIM is a radius (catalogue.gensim), and a missing `X-template.urdf`
    is `X.urdf` as GenSim's add_object reads it. `extra`: name -> Asset (a checkout's own files)."""
    if not isinstance(reference, str):
        raise TaskDefect("assets", f"env.add_object: the asset must be a name like 'stacking/block.urdf', "
                                   f"got {reference!r}")
    name, _, blob = reference.partition("?")
    assets = {**(extra or {}), **catalogue()}
    asset = assets.get(name)
    if asset is None and gensim_uniform is not None and "-template" in name:
        name = name.replace("-template", "")
        asset = assets.get(name)
    if asset is None:
        close = [n for n in assets if n.split("/")[-1] == name.split("/")[-1] or n.split("/")[0] == name.split("/")[0]]
        hint = f" (did you mean {', '.join(repr(c) for c in close[:3])}?)" if close else ""
        raise TaskDefect("assets", f"unknown asset {name!r}{hint}; `roboinstruct tabletop assets` lists them")
    if asset.shape == "unsupported":
        raise Unsupported(f"asset {name!r}: {asset.reason}")
    if asset.shape == MESHDATA:
        raise TaskDefect("assets", f"{name!r} is a mesh file: load it through its template "
                                   f"(kitting/object-template.urdf with FNAME)")
    filled = json.loads(blob) if blob else {}
    if not asset.template:
        if filled and gensim_uniform is None:
            raise TaskDefect("templates", f"{name!r} is not a template; use it without fill_template")
        if filled:  # GenSim fills a file without placeholders: only its colour can change
            color = filled.get("COLOR")
            return Resolved(asset, asset.size, tuple(color) if isinstance(color, list) else color)
        return Resolved(asset, asset.size)
    if gensim_uniform is not None:  # GenSim fills what the task left out; unknown placeholders are ignored
        missing = [need.split("|")[0] for need in asset.required
                   if not any(option in filled for option in need.split("|"))]
        filled = {**gensim.dummy_fill(tuple(missing), gensim_uniform), **filled}
    elif not blob:
        raise TaskDefect("templates", f"template {name!r} was not filled: call self.fill_template({name!r}, "
                                      f"{{{', '.join(repr(r.split('|')[0]) + ': ...' for r in asset.required)}}}) "
                                      f"and add the returned name")
    else:
        for need in asset.required:
            if not any(option in filled for option in need.split("|")):
                raise TaskDefect("templates", f"template {name!r} filled without {need.replace('|', ' or ')} "
                                              f"(got {sorted(filled) or 'nothing'})")
        unknown = sorted(set(filled) - set(asset.template))
        if unknown:
            raise TaskDefect("templates", f"template {name!r} has no placeholder {', '.join(unknown)} "
                                          f"(it has {', '.join(asset.template)})")
    if asset.shape == "mesh":
        return _mesh(asset, filled, extra or {})
    size = (gensim.size_from(asset.shape, filled) if gensim_uniform is not None else None) or _size_from(asset, filled)
    flat = asset.shape in ("frame", "bar", "corner")
    for i, v in enumerate(size):
        if i == 2 and flat and 0.0 <= v <= MAX_SIZE:  # markings may be paper-thin
            continue
        if not MIN_SIZE <= v <= MAX_SIZE:
            raise TaskDefect("templates", f"template {name!r}: size {tuple(round(s, 4) for s in size)} is outside "
                                          f"{MIN_SIZE}–{MAX_SIZE} m")
    color = filled.get("COLOR")
    return Resolved(asset, size, tuple(color) if isinstance(color, list) else color, filled)


MESH_FILE = re.compile(r"([A-Za-z0-9_]+/[A-Za-z0-9_.-]+\.obj)")


def _mesh(asset: Asset, filled: dict, extra: dict) -> Resolved:
    """A mesh template filled with FNAME (a path ending in a checkout's `dir/NN.obj`) and SCALE: the
    mesh's vertices scaled, as GenSim's URDF scales them; Unsupported when no checkout gave that mesh."""
    found = MESH_FILE.findall(str(filled.get("FNAME", "")))
    data = extra.get(found[-1]) if found else None
    if data is None or data.shape != MESHDATA:
        raise Unsupported(f"asset {asset.name!r}: mesh {found[-1] if found else filled.get('FNAME')!r} is not in the "
                          f"GenSim checkout given (--gensim PATH)")
    scale = filled.get("SCALE", [1.0, 1.0, 1.0])
    if not isinstance(scale, list) or len(scale) != 3:
        raise TaskDefect("templates", f"template {asset.name!r}: SCALE must be three numbers, got {scale!r}")
    vertices = [v * scale[i % 3] for i, v in enumerate(data.mesh)]
    size = tuple(max(vertices[k::3]) - min(vertices[k::3]) for k in range(3))
    # a kit's hole is the same mesh 2 mm thick (GenSim scales its height by 0.0001): thin, as markings are
    if not all(MIN_SIZE <= v <= MAX_SIZE or (k == 2 and 0 < v <= MAX_SIZE) for k, v in enumerate(size)):
        raise TaskDefect("templates", f"template {asset.name!r}: size {tuple(round(s, 4) for s in size)} is outside "
                                      f"{MIN_SIZE}–{MAX_SIZE} m")
    color = filled.get("COLOR")
    shaped = Asset(name=asset.name, shape="mesh", size=size, pickable=asset.pickable, collision=asset.collision,
                   symmetry=asset.symmetry, describe=asset.describe, mesh=tuple(vertices))
    return Resolved(shaped, size, tuple(color) if isinstance(color, list) else color, filled)

