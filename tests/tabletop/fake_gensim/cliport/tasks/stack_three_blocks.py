import numpy as np
import os
import pybullet as p
import random
from cliport.tasks import primitives
from cliport.tasks.grippers import Spatula
from cliport.tasks.task import Task
from cliport.utils import utils


class StackThreeBlocks(Task):
    """Stack three blocks into a tower on the table (written in GenSim's import layout)."""

    def __init__(self):
        super().__init__()
        self.max_steps = 6
        self.lang_template = "stack the {color} blocks into a tower"
        self.task_completed_desc = "done stacking."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        color_name = random.choice(['red', 'blue', 'green'])
        color = utils.COLORS[color_name]
        base_pose = self.get_random_pose(env, (0.06, 0.06, 0.0))
        self.add_corner_anchor_for_pose(env, base_pose)
        blocks = []
        for _ in range(3):
            pose = self.get_random_pose(env, (0.04, 0.04, 0.04))
            blocks.append(env.add_object('stacking/block.urdf', pose, color=color))
        lang = self.lang_template.format(color=color_name)
        for level, block in enumerate(blocks):
            target = (utils.apply(base_pose, (0, 0, 0.02 + 0.04 * level)), base_pose[1])
            self.add_goal(objs=[block], matches=np.ones((1, 1)), targ_poses=[target], replace=False,
                          rotations=False, metric='pose', params=None, step_max_reward=1 / 3,
                          language_goal=lang)
