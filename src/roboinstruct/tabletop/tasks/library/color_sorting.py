"""Colour sorting: put every block into the zone of its own colour."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class ColorSorting(Task):
    """Sort the blocks by colour: each block goes into the marked zone with the same colour."""

    COLOR_NAMES = ('red', 'green', 'blue', 'yellow', 'purple', 'orange')

    def __init__(self):
        super().__init__()
        self.max_steps = 12
        self.lang_template = "sort the blocks into the zones of the same colour"
        self.task_completed_desc = "done sorting blocks."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        n_colors = np.random.randint(2, 4)
        names = list(np.random.permutation(self.COLOR_NAMES))[:n_colors]

        zone_size = (0.15, 0.15, 0)
        zone_urdf = self.fill_template('square/square-template.urdf', {'DIM': zone_size})
        zones, zone_color = [], []
        for name in names:
            pose = self.get_random_pose(env, zone_size)
            env.add_object(zone_urdf, pose, 'fixed', color=utils.COLORS[name])
            zones.append((pose, zone_size))
            zone_color.append(name)

        block_size = (0.04, 0.04, 0.04)
        blocks, block_color = [], []
        for name in names:
            for _ in range(np.random.randint(1, 4)):
                pose = self.get_random_pose(env, block_size)
                blocks.append(env.add_object('stacking/block.urdf', pose, color=utils.COLORS[name]))
                block_color.append(name)
        n = len(blocks)
        self.max_steps = n + 4

        matches = np.zeros((n, n_colors))
        for i in range(n):
            for j in range(n_colors):
                matches[i, j] = 1 if block_color[i] == zone_color[j] else 0
        self.add_goal(objs=blocks, matches=matches, targ_poses=[], replace=True, rotations=True,
                      metric='zone', params=zones, step_max_reward=1, language_goal=self.lang_template)
