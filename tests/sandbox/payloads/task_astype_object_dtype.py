# class: raw memory: an object-dtype array by an array's own method (arr.astype("O"), where no stand-in stands before numpy) | stopped by: the runtime: taskcode rewrites every x.astype(...) to numpy_guard.astype (no object or raw-byte dtype) and refuses .astype uncalled
# mode: task
# expect: fail
# reason: object and raw-byte dtypes are not available to task code
import numpy as np
from cliport.tasks.task import Task


class ObjectDtype(Task):
    def __init__(self):
        super().__init__()
        self.lang_template = "put the block down"

    def reset(self, env):
        super().reset(env)
        objects = np.array([1.0, 2.0]).astype("O")
        raise ValueError("escaped: an object array " + str(objects.dtype))
