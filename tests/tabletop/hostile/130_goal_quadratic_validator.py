# attack: one goal with 3000 objs x 3000 targets (list multiplication, no metered loop): the validator's reward() does 9e6 is_match calls outside the task budget
# expect: runtime
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils
import pybullet as p


class PlaceBlockInBowl(Task):
    """Put the block in the bowl."""

    def __init__(self):
        super().__init__()
        self.max_steps = 5
        self.lang_template = "put the block in the bowl"
        self.task_completed_desc = "done."

    def reset(self, env):
        super().reset(env)
        bowl_size = (0.12, 0.12, 0)
        bowl_pose = self.get_random_pose(env, bowl_size)
        env.add_object('bowl/bowl.urdf', bowl_pose, 'fixed')
        block_size = (0.04, 0.04, 0.04)
        block_pose = self.get_random_pose(env, block_size)
        block_id = env.add_object('stacking/block.urdf', block_pose, color=utils.COLORS['red'])
        self.add_goal(objs=[block_id] * 3000, matches=np.ones((3000, 3000)), targ_poses=[bowl_pose] * 3000, replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template)
