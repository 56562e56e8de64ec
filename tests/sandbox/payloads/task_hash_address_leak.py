# class: address leak without id(): hash() of a function is its address rotated by 4 bits -> a crafted __array_interface__ -> real builtins | stopped by: AST check (no hash); behind it the runtime (hash is not a builtin of task code)
# mode: task
# expect: rejected
# reject: name 'hash' is not available to task code
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


def address(obj):
    u = hash(obj) % 2 ** 64
    return ((u << 4) | (u >> 60)) % 2 ** 64


def peek(addr, n):
    fake = type(np)("mem", {"__array_interface__": {"data": (addr, False), "shape": (n,), "typestr": "<u8",
                                                     "version": 3}})
    return np.asarray(fake)


class HashLeak(Task):
    def __init__(self):
        super().__init__()
        self.lang_template = "put the block down"

    def reset(self, env):
        super().reset(env)
        globals_at = int(peek(address(utils.get_colors) + 16, 1)[0])
        b = np.ndarray((1,), dtype="O", buffer=np.array([globals_at], dtype=np.int64))[0]["__builtins__"]
        raise ValueError("uid=" + str(b["__import__"]("os").getuid()))
