"""GenSim's meaning of a template, for files run in the GenSim dialect (`--gensim PATH`).

GenSim's `add_object` fills a `*-template.urdf` the task did not fill itself with dummy numbers
(every DIM-style placeholder uniform in 3–5 cm, HALF in 1–3 cm, drawn from `np.random`), and its
cylinder and ball templates read DIM0 as a radius (the cylinder's DIM2 as its length). These
are the checkout's semantics, written here from that description: no GenSim file is read.
"""

from __future__ import annotations

DUMMY_DIM = (0.03, 0.05)  # metres: GenSim's default for DIM, DIMX, DIMY, ... when a template is unfilled
DUMMY_HALF = (0.01, 0.03)
CORNER = (0.055, 0.055, 0.0)
DIM_FIELDS = ("DIM", "DIMX", "DIMY", "DIMZ", "DIMH", "DIMR")


def dummy_fill(template: tuple, uniform) -> dict:
    """The placeholders GenSim fills in for an unfilled template; `uniform(lo, hi, n)` -> n floats
    (the episode's np.random.uniform, as GenSim draws them)."""
    filled = {}
    for key in template:
        if key in DIM_FIELDS:
            filled[key] = [float(v) for v in uniform(*DUMMY_DIM, 3)]
        elif key == "HALF":
            filled[key] = [float(v) for v in uniform(*DUMMY_HALF, 3)]
    return filled


def size_from(shape: str, filled: dict) -> tuple | None:
    """The full (x, y, z) size GenSim's URDF gives a filled template, where it differs from the
    catalogue's reading (DIM = full size): cylinders and balls read DIM0 as a radius. None: the
    catalogue's reading holds."""
    if shape == "corner":  # GenSim's corner: two fixed 5.5 cm arms; DIMX/DIMY only place them
        return CORNER
    dims = filled.get("DIM")
    if not dims or shape not in ("cylinder", "sphere"):
        return None
    radius = dims[0]
    if shape == "sphere":
        return (2 * radius,) * 3
    length = dims[2] if len(dims) > 2 else dims[-1]
    return (2 * radius, 2 * radius, length)
