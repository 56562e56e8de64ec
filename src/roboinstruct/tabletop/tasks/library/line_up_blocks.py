"""Line up blocks side by side along a line drawn on the table, aligned with it."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class LineUpBlocks(Task):
    """Place the blocks in a row on the line, evenly spaced and turned square to it."""

    COLOR_NAMES = ('red', 'green', 'blue', 'yellow', 'purple', 'orange', 'cyan', 'pink')

    def __init__(self):
        super().__init__()
        self.max_steps = 8
        self.lang_template = "line up the {color} blocks along the {line} line"
        self.task_completed_desc = "done lining up blocks."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        names = list(np.random.permutation(self.COLOR_NAMES))
        block_color, line_color, other_color = names[0], names[1], names[2]
        n = np.random.randint(3, 6)
        spacing = 0.06
        length = n * spacing
        line_size = (length, 0.01, 0)
        line_pose = self.get_random_pose(env, (length, 0.06, 0))
        line_urdf = self.fill_template('line/line-template.urdf', {'DIM': line_size})
        env.add_object(line_urdf, ((line_pose[0][0], line_pose[0][1], 0.0005), line_pose[1]), 'fixed',
                       color=utils.COLORS[line_color])

        block_size = (0.04, 0.04, 0.04)
        blocks = []
        for _ in range(n):
            pose = self.get_random_pose(env, block_size)
            blocks.append(env.add_object('stacking/block.urdf', pose, color=utils.COLORS[block_color]))
        for _ in range(np.random.randint(0, 3)):
            pose = self.get_random_pose(env, block_size)
            env.add_object('stacking/block.urdf', pose, color=utils.COLORS[other_color])
        self.max_steps = n + 3

        targs = []
        for k in range(n):
            offset = ((k - (n - 1) / 2) * spacing, 0, block_size[2] / 2 - line_pose[0][2])
            targs.append(utils.multiply(line_pose, (offset, (0, 0, 0, 1))))
        self.add_goal(objs=blocks, matches=np.ones((n, n)), targ_poses=targs, replace=False, rotations=True,
                      metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template.format(color=block_color, line=line_color))
