# class: memory safety: negative and huge link indices to the pybullet stand-in's C calls | stopped by: the pybullet stand-in (the base link -1 only)
# mode: task
# expect: fail
# reason: link index
import numpy as np
import pybullet as p
from cliport.tasks.task import Task


class LinkIndices(Task):
    def __init__(self):
        super().__init__()
        self.lang_template = "put the block on the target"

    def reset(self, env):
        super().reset(env)
        block = env.add_object("stacking/block.urdf", self.get_random_pose(env, (0.04, 0.04, 0.04)))
        for link in (-7, -2 ** 31, 2 ** 31 - 1, 12345):
            p.changeVisualShape(block, link, rgbaColor=[1, 0, 0, 1])
            p.getAABB(block, link)
        self.add_goal(objs=[block], matches=np.ones((1, 1)), targ_poses=[((0.9, 0.0, 0.02), (0, 0, 0, 1))],
                      replace=False, rotations=False, metric="pose", params=None, step_max_reward=1,
                      language_goal=self.lang_template)
