"""The task API reference a model writes against, rendered from the code's own docstrings and
the catalogue — never a hand-kept copy that drifts (or, as in GenSim's prompts, gets cut off).

Pure text: no pybullet import (the caller's side renders prompts).
"""

from __future__ import annotations

import ast
import inspect
from functools import lru_cache
from pathlib import Path

from ..catalogue.assets import asset_list_text

TASK_METHODS = ("reset", "get_random_pose", "get_random_size", "fill_template", "add_goal",
                "add_corner_anchor_for_pose", "additional_reset")
UTILS = ("COLORS (name -> [r, g, b]: " + "{colors})", "get_colors(mode, n_colors) -> (colors, names)",
         "apply(pose, position) -> the position moved by the pose", "multiply(pose0, pose1) -> pose",
         "invert(pose) -> pose", "eulerXYZ_to_quatXYZW(euler) -> quaternion", "quatXYZW_to_eulerXYZ(q) -> euler")
PYBULLET = ("getQuaternionFromEuler", "getEulerFromQuaternion", "getBasePositionAndOrientation(obj_id)",
            "multiplyTransforms", "invertTransform", "changeVisualShape(obj_id, -1, rgbaColor=...)")
HEADER = ("import numpy as np\nfrom cliport.tasks.task import Task\nfrom cliport.utils import utils\n"
          "import pybullet as p\n")


@lru_cache(maxsize=1)
def _task_methods() -> list[tuple[str, str, str]]:
    """(name, signature, docstring) of the Task API, read from task.py's source (no import)."""
    tree = ast.parse((Path(__file__).parent.parent / "taskapi" / "task.py").read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Task")
    out = []
    for fn in cls.body:
        if isinstance(fn, ast.FunctionDef) and fn.name in TASK_METHODS:
            args = ast.unparse(fn.args)
            out.append((fn.name, f"self.{fn.name}({args.removeprefix('self, ').removeprefix('self')})",
                        inspect.cleandoc(ast.get_docstring(fn) or "")))
    return sorted(out, key=lambda t: TASK_METHODS.index(t[0]))


def api_reference() -> str:
    from ..catalogue.colors import COLORS

    lines = ["# The task API", "", "Write one class that subclasses Task. These imports are provided:", "",
             HEADER.rstrip(), "",
             "In __init__: call super().__init__(), then set self.max_steps (oracle actions allowed), "
             "self.lang_template (the instruction), self.task_completed_desc, and call self.additional_reset().",
             "In reset(env): call super().reset(env), add objects with "
             "env.add_object(urdf, pose, category='rigid' or 'fixed', color=utils.COLORS[name]) (returns the "
             "object id), then declare goals with self.add_goal(...). Goals are achieved in order and their "
             "step_max_reward values must sum to 1. Poses are ((x, y, z), (qx, qy, qz, qw)); the workspace is "
             "x in [0.25, 0.75], y in [-0.5, 0.5], z in [0, 0.3]; an object resting on the table has z = its "
             "height / 2, and a target above that (a stack) is checked at its height.", "", "## Task methods"]
    for _, signature, doc in _task_methods():
        lines += ["", signature, *("    " + d for d in doc.splitlines())]
    colors = ", ".join(sorted(COLORS))
    lines += ["", "## utils", *("- utils." + u.format(colors=colors) for u in UTILS),
              "", "## pybullet (as p): only these", *("- p." + f for f in PYBULLET),
              "", "## numpy (as np): array maths and np.random (seeded by the validator; do not seed it)",
              "", "## Assets (env.add_object names)", asset_list_text()]
    return "\n".join(lines)
