"""Place the red blocks in the green bowls, ignoring blocks and bowls of other colours."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class PlaceRedInGreen(Task):
    """Put every red block into its own green bowl; distractor blocks and bowls of other colours stay put."""

    def __init__(self):
        super().__init__()
        self.max_steps = 10
        self.lang_template = "put the red blocks in a green bowl"
        self.task_completed_desc = "done placing blocks in bowls."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        n_bowls = np.random.randint(1, 4)
        n_blocks = np.random.randint(1, n_bowls + 1)  # a bowl holds one block (as in Ravens)

        bowl_size = (0.12, 0.12, 0)
        bowl_poses = []
        for _ in range(n_bowls):
            pose = self.get_random_pose(env, bowl_size)
            env.add_object('bowl/bowl.urdf', pose, 'fixed', color=utils.COLORS['green'])
            bowl_poses.append(pose)

        block_size = (0.04, 0.04, 0.04)
        blocks = []
        for _ in range(n_blocks):
            pose = self.get_random_pose(env, block_size)
            blocks.append(env.add_object('stacking/block.urdf', pose, color=utils.COLORS['red']))

        # Distractors: blocks and bowls in any colour but red and green.
        others = [c for c in utils.COLORS if c not in ('red', 'green')]
        for _ in range(np.random.randint(0, 3)):
            pose = self.get_random_pose(env, bowl_size)
            env.add_object('bowl/bowl.urdf', pose, 'fixed', color=utils.COLORS[others[np.random.randint(len(others))]])
        for _ in range(np.random.randint(1, 5)):
            pose = self.get_random_pose(env, block_size)
            env.add_object('stacking/block.urdf', pose, color=utils.COLORS[others[np.random.randint(len(others))]])

        self.add_goal(objs=blocks, matches=np.ones((n_blocks, n_bowls)), targ_poses=bowl_poses, replace=False,
                      rotations=False, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template)
