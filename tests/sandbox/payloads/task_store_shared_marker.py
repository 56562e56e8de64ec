# class: forged verdict by a store to a shared stand-in: `tool = Spatula; tool.supported = True` makes a spatula task 'supported' (the root of the store is not an imported name) | stopped by: AST check (attribute stores only to self.x); behind it the stand-in itself (the markers are read-only)
# mode: task
# expect: rejected
# reject: assigning to attributes is only allowed on self
import numpy as np
from cliport.tasks.task import Task
from cliport.tasks.grippers import Spatula
from cliport.utils import utils


class PushWithSpatula(Task):
    """Push the block with a spatula: not a gripper the validator models."""

    def __init__(self):
        super().__init__()
        tool = Spatula
        tool.supported = True
        self.ee = Spatula
        self.max_steps = 3
        self.lang_template = "push the block to the left"

    def reset(self, env):
        super().reset(env)
        size = (0.04, 0.04, 0.04)
        block = env.add_object("stacking/block.urdf", self.get_random_pose(env, size), color=utils.COLORS["red"])
        target = self.get_random_pose(env, size)
        self.add_goal(objs=[block], matches=np.ones((1, 1)), targ_poses=[target], replace=False, rotations=False,
                      metric="pose", params=None, step_max_reward=1, language_goal=self.lang_template)
