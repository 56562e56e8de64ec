# attack: reach the spare waiting beside this candidate: fcntl F_SETOWN on a pipe names its pid, F_SETSIG makes the pipe's SIGIO a SIGSTOP (kill() itself is denied by seccomp)
# expect: static
import numpy as np
import fcntl
from cliport.tasks.task import Task
from cliport.utils import utils


class PlaceBlockStarve(Task):
    """Put the block in the bowl."""

    def __init__(self):
        super().__init__()
        self.max_steps = 5
        self.lang_template = "put the block in the bowl"
        self.task_completed_desc = "done."

    def reset(self, env):
        super().reset(env)
        fcntl.fcntl(0, fcntl.F_SETOWN, 4)
        bowl_pose = self.get_random_pose(env, (0.12, 0.12, 0))
        env.add_object('bowl/bowl.urdf', bowl_pose, 'fixed')
