"""Stack blocks into a single tower in a given colour order, bottom to top, on a marked zone."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class StackBlockTower(Task):
    """Build a tower of blocks in the zone, in the named colour order from the bottom up."""

    COLOR_NAMES = ('red', 'green', 'blue', 'yellow', 'purple', 'orange', 'cyan', 'pink', 'brown')

    def __init__(self):
        super().__init__()
        self.max_steps = 8
        self.lang_template = "stack the blocks in the zone in the order {order}, from the bottom up"
        self.task_completed_desc = "done stacking the tower."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        n = np.random.randint(3, 6)
        names = list(np.random.permutation(self.COLOR_NAMES))[:n]

        zone_size = (0.08, 0.08, 0)
        zone_pose = self.get_random_pose(env, zone_size)
        zone_urdf = self.fill_template('square/square-template.urdf', {'DIM': zone_size})
        env.add_object(zone_urdf, zone_pose, 'fixed', color=utils.COLORS['gray'])

        block_size = (0.04, 0.04, 0.04)
        blocks = []
        for name in names:
            pose = self.get_random_pose(env, block_size)
            blocks.append(env.add_object('stacking/block.urdf', pose, color=utils.COLORS[name]))
        self.max_steps = n + 3

        self.lang_template = self.lang_template.format(order=', '.join(names))
        for k in range(n):
            target = ((zone_pose[0][0], zone_pose[0][1], block_size[2] / 2 + k * block_size[2]), zone_pose[1])
            where = 'in the zone' if k == 0 else f'on the {names[k - 1]} block'
            self.add_goal(objs=[blocks[k]], matches=np.ones((1, 1)), targ_poses=[target], replace=False,
                          rotations=True, metric='pose', params=None, step_max_reward=1 / n,
                          language_goal=f"put the {names[k]} block {where}")
