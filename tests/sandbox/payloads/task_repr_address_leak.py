# class: raw memory without id() or hash(): the address in an object's repr, then every way numpy could turn an address into memory (np.ndarray over a buffer of pointers, an object dtype, type(np) for a crafted __array_interface__) | stopped by: the runtime's type() (no stand-in class); behind it numpy_guard (np.ndarray does not construct; no object dtype, no buffer=): an address alone reaches nothing
# mode: task
# expect: fail
# reason: type() of a ReadOnly is not available to task code
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


def address(obj):
    return int(repr(obj).split(" at ")[-1].rstrip(">"), 16)


class ReprLeak(Task):
    def __init__(self):
        super().__init__()
        self.lang_template = "put the block down"

    def reset(self, env):
        super().reset(env)
        where = address(utils.get_colors) + 16
        tried = []
        try:
            np.array([where]).astype("O")
            tried.append(np.asarray(np.array([where]).astype("O")))
        except TypeError as e:
            tried.append(str(e))
        try:
            tried.append(type(np))
        except Exception as e:
            tried.append(str(e))
        try:
            tried.append(np.zeros(1, dtype="O"))
        except TypeError as e:
            tried.append(str(e))
        globals_dict = np.ndarray((1,), dtype="O", buffer=np.array([where], dtype=np.int64))[0]
        raise ValueError("escaped: " + str(globals_dict)[:40] + str(tried))
