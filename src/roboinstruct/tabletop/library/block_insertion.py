"""Insert the L-shaped block into the L-shaped fixture (position and rotation both matter)."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class BlockInsertion(Task):
    """Pick up the L-shaped block and insert it into the L-shaped fixture outline on the table."""

    def __init__(self):
        super().__init__()
        self.max_steps = 3
        self.lang_template = "insert the {color} L-shaped block into the fixture"
        self.task_completed_desc = "done with insertion."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        fixture_size = (0.112, 0.112, 0.004)
        fixture_pose = self.get_random_pose(env, fixture_size)
        env.add_object('insertion/fixture.urdf', fixture_pose, 'fixed', color=utils.COLORS['gray'])

        color = ['red', 'blue', 'green', 'yellow', 'orange', 'purple'][np.random.randint(6)]
        ell_size = (0.1, 0.1, 0.04)
        ell_pose = self.get_random_pose(env, ell_size)
        ell = env.add_object('insertion/ell.urdf', ell_pose, color=utils.COLORS[color])

        # The ell rests on the table inside the fixture, rotated like the fixture.
        target = ((fixture_pose[0][0], fixture_pose[0][1], ell_size[2] / 2), fixture_pose[1])
        self.add_goal(objs=[ell], matches=np.ones((1, 1)), targ_poses=[target], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template.format(color=color))
