# class: resource exhaustion: a 28 GB array, then 10 GB through full_like, inside reset | stopped by: the child's memory limit (RLIMIT_AS)
# mode: task
# expect: fail
# reason: memory limit exceeded
import numpy as np
from cliport.tasks.task import Task


class HugeArrays(Task):
    def __init__(self):
        super().__init__()
        self.lang_template = "count the grains"

    def reset(self, env):
        super().reset(env)
        grains = np.ones((60000, 60000))
        more = np.full_like(np.zeros((10, 10)), 1.0).repeat(10 ** 9)
        self.lang_template = str(grains.sum() + more.sum())
