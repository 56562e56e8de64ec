"""Executing a checked task module: restricted builtins, stand-in imports, metered steps.

Worker side only (imports pybullet through the stand-ins): the caller's side of validation
uses taskcode.check_task, which never executes anything.
"""

from __future__ import annotations

import builtins as _py_builtins
import importlib

import numpy as _np

from ....sandbox import Budget, SandboxViolation
from ....sandbox.policy import SAFE_BUILTIN_NAMES, SAFE_EXCEPTIONS, safe_format
from ...errors import TaskDefect
from ...taskapi import numpy_guard
from ...taskapi.numpy_guard import NumpyType
from ...taskapi.task import Task
from ..surface import TASK_FORBIDDEN_NAMES


def _warm_numpy() -> None:
    """Trigger numpy's lazy imports once with the real __import__, so they never depend on
    what ran before in this worker."""
    a = _np.ones((2, 2))
    for method in ("sum", "mean", "min", "max", "std", "var", "prod", "any", "all", "argmax", "argmin", "cumsum"):
        getattr(a, method)()
    a.clip(0, 1)
    a.round(1)
    _np.linalg.norm(a)


_warm_numpy()


# the classes type() may hand task code: plain values' (calling them builds plain values). Every
# other class (a stand-in namespace, a marker, the env facade, a function, super) would construct
# objects the task chooses the attributes of, e.g. a stand-in with a crafted __array_interface__
PLAIN_TYPES = (bool, int, float, complex, str, list, tuple, dict, set, frozenset, type(None), range, slice)
TASK_BUILTINS = [n for n in SAFE_BUILTIN_NAMES if n not in TASK_FORBIDDEN_NAMES]


def _type_for(numpy_standin) -> object:
    guarded = {v._cls: v for v in vars(numpy_standin).values() if isinstance(v, NumpyType)}

    def safe_type(obj):
        cls = type(obj)
        if cls in PLAIN_TYPES:
            return cls
        if cls in guarded:  # arrays and numpy scalars: numpy's guarded stand-in, never the real class
            return guarded[cls]
        if isinstance(obj, Task):
            return cls  # the task's own class (its subclass of Task)
        raise SandboxViolation(f"type() of a {cls.__name__} is not available to task code (only of plain values, "
                               f"arrays and the task)")

    return safe_type


def load_class(code, name: str, budget: Budget, standins: dict) -> type:
    """Execute the checked module with restricted builtins and stand-in imports; the task class."""
    table = {n: getattr(_py_builtins, n) for n in TASK_BUILTINS + SAFE_EXCEPTIONS}  # no id, no hash
    table.update(type=_type_for(standins["numpy"]), super=super, print=lambda *a, **k: None,
                 __build_class__=_py_builtins.__build_class__)
    standins = dict(standins)
    task_module = type(_py_builtins)("cliport.tasks.task")
    task_module.Task = Task
    standins["cliport.tasks.task"] = standins["roboinstruct.tabletop.task"] = task_module

    def _import(mod, globals=None, locals=None, fromlist=(), level=0):
        if mod.startswith("numpy.") and not level:
            # numpy's C code imports its own helpers lazily through the running frame's __import__
            # (ndarray.sum -> numpy._core._methods); task import statements never reach here with
            # such a name (the static check allows only the stand-in names)
            return importlib.import_module(mod)
        if level or mod not in standins:
            raise SandboxViolation(f"import of {mod!r} is not allowed")
        if fromlist:
            return standins[mod]
        top = mod.split(".")[0]
        if top == "cliport":  # `import cliport.utils.utils` binds `cliport`
            raise SandboxViolation("import the cliport names with `from ... import ...`")
        return standins[mod]

    table["__import__"] = _import
    step = budget.step

    def loop(iterable):
        for item in iterable:
            step()
            yield item

    env = {"__builtins__": table, "__name__": "task_module", "__step__": step, "__loop__": loop,
           "__format__": safe_format, "__astype__": numpy_guard.astype}
    exec(code, env)  # noqa: S102 - checked, metered code, run only inside a sandbox worker
    cls = env.get(name)
    if not (isinstance(cls, type) and issubclass(cls, Task)):
        raise TaskDefect("instantiate", f"{name} is not a subclass of Task")
    return cls
