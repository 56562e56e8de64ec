# attack: starve the spare waiting beside this candidate (same uid nobody): nice 19 for every process of the uid, the sibling pinned to another core, through the os stand-in
# expect: static
import numpy as np
import os
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
        os.setpriority(os.PRIO_USER, 0, 19)
        os.sched_setaffinity(os.getppid() + 2, {0})
        bowl_pose = self.get_random_pose(env, (0.12, 0.12, 0))
        env.add_object('bowl/bowl.urdf', bowl_pose, 'fixed')
