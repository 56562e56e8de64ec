"""Insert a block into a tight-fitting fixture (position and rotation both matter).

Ravens inserts an L-shaped block into an L-shaped fixture; here a rectangular block goes into
an open fixture (a container template) with 5 mm of clearance per side, so it only fits when
it is aligned with the fixture's long axis.
"""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class BlockInsertion(Task):
    """Pick up the rectangular block and insert it into the matching fixture on the table."""

    def __init__(self):
        super().__init__()
        self.max_steps = 3
        self.lang_template = "insert the {color} block into the {fixture} fixture"
        self.task_completed_desc = "done with insertion."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        block_size = self.get_random_size(0.07, 0.1, 0.035, 0.045, 0.035, 0.05)
        wall = 0.005
        clearance = 0.005
        fixture_size = (block_size[0] + 2 * (wall + clearance), block_size[1] + 2 * (wall + clearance), 0.03)
        colors = list(np.random.permutation(['red', 'blue', 'green', 'yellow', 'orange', 'purple']))
        block_color, fixture_color = colors[0], colors[1]

        fixture_pose = self.get_random_pose(env, fixture_size)
        fixture_urdf = self.fill_template('container/container-template.urdf', {'DIM': fixture_size})
        env.add_object(fixture_urdf, fixture_pose, 'fixed', color=utils.COLORS[fixture_color])

        block_urdf = self.fill_template('box/box-template.urdf', {'DIM': block_size})
        block_pose = self.get_random_pose(env, block_size)
        block = env.add_object(block_urdf, block_pose, color=utils.COLORS[block_color])

        # The block rests on the fixture's 5 mm floor, aligned with it.
        target_z = wall + block_size[2] / 2
        target = ((fixture_pose[0][0], fixture_pose[0][1], target_z), fixture_pose[1])
        self.add_goal(objs=[block], matches=np.ones((1, 1)), targ_poses=[target], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template.format(color=block_color, fixture=fixture_color))
