"""Real GenSim task files mutated at run time (never written to the repository): each goal of the
task made impossible, out of the arm's reach, or already met at reset. Both verdicts here must
reject every mutant; experiments/gensim_conformance.py measures it on a few files that pass both.

A mutant is the file with one method added to its task class, overriding `add_goal`: it rewrites
the goal's target poses (and, for "met at reset", the match matrix) and then calls GenSim's own.
"""

from __future__ import annotations

import ast

KINDS = ("impossible", "out_of_reach", "met_at_reset")

_HEAD = '''
    def add_goal(self, *args, **kwargs):
        args = list(args)
        objs = kwargs["objs"] if "objs" in kwargs else args[0]
        poses = kwargs["targ_poses"] if "targ_poses" in kwargs else args[2]
        ids = [o if isinstance(o, int) else o[0] for o in objs]
'''
_BODIES = {
    # no object may go to any target (an all-zero match matrix): no placement meets it. (A target
    # under the table would not do: GenSim's pose check compares x-y only, so it is met from above.)
    "impossible": '''        new = poses
        matches = np.zeros((len(ids), len(poses)))
        if "matches" in kwargs:
            kwargs["matches"] = matches
        else:
            args[1] = matches
''',
    # 1.5 m to the side of the table: outside the workspace and the UR5's reach
    "out_of_reach": '''        new = [((t[0][0], 1.5, t[0][2]), t[1]) if len(t) == 2 else ((t[0], 1.5, t[2]), (0, 0, 0, 1))
               for t in poses]
''',
    # every object's target is where it stands after reset, one target each
    "met_at_reset": '''        new = [p.getBasePositionAndOrientation(i) for i in ids]
        matches = np.eye(len(ids))
        if "matches" in kwargs:
            kwargs["matches"] = matches
        else:
            args[1] = matches
''',
}
_TAIL = '''        if "targ_poses" in kwargs:
            kwargs["targ_poses"] = new
        else:
            args[2] = new
        super().add_goal(*args, **kwargs)
'''


def task_class(source: str) -> ast.ClassDef | None:
    tree = ast.parse(source)
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    return classes[-1] if classes else None


def mutable(source: str) -> bool:
    """A file the mutation applies to: one task class that calls `self.add_goal` and imports np and p."""
    cls = task_class(source)
    return (cls is not None and "self.add_goal(" in source and "import numpy as np" in source
            and "import pybullet as p" in source)


def mutate(source: str, kind: str) -> str:
    """`source` with its task class's `add_goal` overridden by the mutation `kind`."""
    if kind not in _BODIES:
        raise ValueError(f"unknown mutation {kind!r}; one of {KINDS}")
    cls = task_class(source)
    if cls is None:
        raise ValueError("no class in the file")
    lines = source.splitlines()
    method = (_HEAD + _BODIES[kind] + _TAIL).rstrip("\n").splitlines()
    return "\n".join(lines[: cls.end_lineno] + method + lines[cls.end_lineno:]) + "\n"
