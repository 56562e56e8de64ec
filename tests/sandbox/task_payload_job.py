"""Sandbox jobs that run a task payload with some of the Python layer switched off, so the tests can
prove each layer behind it on its own (test_task_payloads.py). They run in the sandbox child, so the
switches (module attributes patched there) die with it.

- `runtime_only`: no static check (only the metering rewrite); the runtime layer stays on: no id
  or hash among the builtins, type() only of plain values, numpy through numpy_guard.
- `python_off`: no static check and no runtime layer either: id, hash and type as Python has them,
  numpy's functions unguarded (as before numpy_guard), so raw memory works in the task's child
  (the other stand-ins stay what they are: read-only namespaces and markers); what stands is the
  judge apart (physics in another child), the reply checks, one process per
  candidate and the OS isolation.
"""

import ast

from roboinstruct.sandbox.policy import SAFE_BUILTIN_NAMES
from roboinstruct.tabletop.validate import taskcode
from roboinstruct.tabletop.validate.worker import jobs, runtime


def metered_only(source: str):
    tree = ast.parse(source, taskcode.FILENAME)
    name = next(n.name for n in tree.body if isinstance(n, ast.ClassDef))
    return compile(taskcode.rewritten(tree), taskcode.FILENAME, "exec"), name


def runtime_only(task: dict) -> dict:
    jobs.check_task = metered_only
    return jobs.validate_job(task)


def python_off(task: dict) -> dict:
    import numpy as np

    from roboinstruct.tabletop.taskapi import standins
    from roboinstruct.tabletop.validate.surface import LINALG_NAMES, NP_RANDOM_NAMES, NUMPY_NAMES

    def raw_numpy():
        members = {n: getattr(np, n) for n in NUMPY_NAMES if hasattr(np, n)}
        members["random"] = standins.ReadOnly("numpy.random", {n: getattr(np.random, n) for n in NP_RANDOM_NAMES})
        members["linalg"] = standins.ReadOnly("numpy.linalg", {n: getattr(np.linalg, n) for n in LINALG_NAMES})
        return standins.ReadOnly("numpy", members)

    jobs.check_task = metered_only
    standins.numpy_standin = raw_numpy
    runtime.TASK_BUILTINS = list(SAFE_BUILTIN_NAMES)
    runtime._type_for = lambda _numpy: type
    return jobs.validate_job(task)
