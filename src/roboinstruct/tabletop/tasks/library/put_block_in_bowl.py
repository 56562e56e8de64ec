"""Put the block of one named colour into the bowl of another named colour, among distractors."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class PutBlockInBowl(Task):
    """Pick the block of the named colour and put it in the bowl of the named colour."""

    COLOR_NAMES = ('blue', 'red', 'green', 'yellow', 'brown', 'gray', 'cyan', 'orange', 'purple', 'pink')

    def __init__(self):
        super().__init__()
        self.max_steps = 5
        self.lang_template = "put the {pick} block in a {place} bowl"
        self.task_completed_desc = "done placing blocks in bowls."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        names = list(np.random.permutation(self.COLOR_NAMES))
        pick_color, place_color = names[0], names[1]

        bowl_size = (0.12, 0.12, 0)
        block_size = (0.04, 0.04, 0.04)

        # The target bowl(s) and the block to move.
        n_target_bowls = np.random.randint(1, 3)
        bowl_poses = []
        for _ in range(n_target_bowls):
            pose = self.get_random_pose(env, bowl_size)
            env.add_object('bowl/bowl.urdf', pose, 'fixed', color=utils.COLORS[place_color])
            bowl_poses.append(pose)
        pose = self.get_random_pose(env, block_size)
        block = env.add_object('stacking/block.urdf', pose, color=utils.COLORS[pick_color])

        # Distractors: bowls that are not the target colour, blocks that are not the picked colour.
        n_bowls = np.random.randint(1, 3)
        for _ in range(n_bowls):
            color = names[1 + np.random.randint(1, len(names) - 1)]
            pose = self.get_random_pose(env, bowl_size)
            env.add_object('bowl/bowl.urdf', pose, 'fixed', color=utils.COLORS[color])
        n_blocks = np.random.randint(1, 4)
        for _ in range(n_blocks):
            color = names[1 + np.random.randint(0, len(names) - 1)]
            pose = self.get_random_pose(env, block_size)
            env.add_object('stacking/block.urdf', pose, color=utils.COLORS[color])

        self.add_goal(objs=[block], matches=np.ones((1, n_target_bowls)), targ_poses=bowl_poses, replace=False,
                      rotations=False, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template.format(pick=pick_color, place=place_color))
