"""Build a bridge: two pillars of blocks on the marked spots, then a long plank across them."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class BuildBridge(Task):
    """Stack two equal pillars of blocks on the two marks and lay the plank across their tops."""

    def __init__(self):
        super().__init__()
        self.max_steps = 10
        self.lang_template = "build a bridge with the {color} blocks and the plank"
        self.task_completed_desc = "done building the bridge."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        pillar_height = np.random.randint(1, 3)  # blocks per pillar
        span = 0.1 + 0.04 * np.random.rand()  # distance between the pillars' centres
        block_size = (0.04, 0.04, 0.04)
        plank_size = (span + 0.06, 0.04, 0.02)
        color = ['red', 'blue', 'green', 'yellow', 'purple'][np.random.randint(5)]

        # The site: two square marks `span` apart along the site's x axis.
        site = self.get_random_pose(env, (span + 0.08, 0.08, 0))
        mark_urdf = self.fill_template('square/square-template.urdf', {'DIM': (0.06, 0.06, 0)})
        marks = []
        for side in (-1, 1):
            mark = utils.multiply(site, ((side * span / 2, 0, 0), (0, 0, 0, 1)))
            env.add_object(mark_urdf, mark, 'fixed', color=utils.COLORS['gray'])
            marks.append(mark)

        blocks = []
        for _ in range(2 * pillar_height):
            pose = self.get_random_pose(env, block_size)
            blocks.append(env.add_object('stacking/block.urdf', pose, color=utils.COLORS[color]))
        plank_urdf = self.fill_template('box/box-template.urdf', {'DIM': plank_size})
        plank_pose = self.get_random_pose(env, plank_size)
        plank = env.add_object(plank_urdf, plank_pose, color=utils.COLORS['brown'])
        self.max_steps = 2 * pillar_height + 4

        # One goal per pillar layer (both pillars), then the plank on top.
        n_goals = pillar_height + 1
        for level in range(pillar_height):
            z = block_size[2] / 2 + level * block_size[2]
            targs = [((m[0][0], m[0][1], z), m[1]) for m in marks]
            objs = blocks[2 * level:2 * level + 2]
            lang = "put a block on each mark" if level == 0 else "put a block on top of each pillar"
            self.add_goal(objs=objs, matches=np.ones((2, 2)), targ_poses=targs, replace=False, rotations=True,
                          metric='pose', params=None, step_max_reward=1 / n_goals, language_goal=lang)
        plank_z = pillar_height * block_size[2] + plank_size[2] / 2
        plank_target = ((site[0][0], site[0][1], plank_z), site[1])
        self.add_goal(objs=[plank], matches=np.ones((1, 1)), targ_poses=[plank_target], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1 / n_goals,
                      language_goal="lay the plank across the two pillars")
        self.lang_template = self.lang_template.format(color=color)
