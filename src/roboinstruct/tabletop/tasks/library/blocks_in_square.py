"""Put the blocks of one colour inside a square outline; the other blocks stay outside."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class BlocksInSquare(Task):
    """Move every block of the named colour inside the square outline on the table."""

    COLOR_NAMES = ('red', 'green', 'blue', 'yellow', 'purple', 'orange', 'cyan', 'brown')

    def __init__(self):
        super().__init__()
        self.max_steps = 8
        self.lang_template = "put the {color} blocks inside the {square} square"
        self.task_completed_desc = "done placing blocks."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        names = list(np.random.permutation(self.COLOR_NAMES))
        block_color, square_color = names[0], names[1]
        side = 0.15 + 0.04 * np.random.rand()
        square_size = (side, side, 0)
        square_pose = self.get_random_pose(env, square_size)
        square_urdf = self.fill_template('square/square-template.urdf', {'DIM': square_size})
        env.add_object(square_urdf, square_pose, 'fixed', color=utils.COLORS[square_color])

        block_size = (0.04, 0.04, 0.04)
        blocks = []
        for _ in range(np.random.randint(1, 5)):
            pose = self.get_random_pose(env, block_size)
            blocks.append(env.add_object('stacking/block.urdf', pose, color=utils.COLORS[block_color]))
        for _ in range(np.random.randint(1, 4)):
            pose = self.get_random_pose(env, block_size)
            color = names[2 + np.random.randint(len(names) - 2)]
            env.add_object('stacking/block.urdf', pose, color=utils.COLORS[color])

        self.add_goal(objs=blocks, matches=np.ones((len(blocks), 1)), targ_poses=[], replace=True,
                      rotations=True, metric='zone', params=[(square_pose, square_size)], step_max_reward=1,
                      language_goal=self.lang_template.format(color=block_color, square=square_color))
