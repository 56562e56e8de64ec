"""Align a box of random size with an L-shaped corner marking (position and rotation matter)."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class AlignBoxCorner(Task):
    """Pick up the box and place it so that one of its corners fits the corner marking."""

    def __init__(self):
        super().__init__()
        self.max_steps = 3
        self.lang_template = "align the {color} box with the {mark} corner"
        self.task_completed_desc = "done with alignment."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        box_size = self.get_random_size(0.05, 0.15, 0.05, 0.15, 0.01, 0.06)
        box_color = ['brown', 'orange', 'yellow', 'cyan', 'purple'][np.random.randint(5)]
        mark_color = ['green', 'blue', 'red'][np.random.randint(3)]

        # Where the box should end up; the corner marking traces two of its edges.
        target = self.get_random_pose(env, box_size)
        corner_offset = (-box_size[0] / 2, -box_size[1] / 2, -box_size[2] / 2 + 0.0005)
        corner_pose = utils.multiply(target, (corner_offset, (0, 0, 0, 1)))
        corner_urdf = self.fill_template('corner/corner-template.urdf',
                                         {'DIMX': (box_size[0],), 'DIMY': (box_size[1],),
                                          'COLOR': mark_color})
        env.add_object(corner_urdf, corner_pose, 'fixed')

        box_urdf = self.fill_template('box/box-template.urdf', {'DIM': box_size})
        box_pose = self.get_random_pose(env, box_size)
        box = env.add_object(box_urdf, box_pose, color=utils.COLORS[box_color])

        self.add_goal(objs=[box], matches=np.ones((1, 1)), targ_poses=[target], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template.format(color=box_color, mark=mark_color))
