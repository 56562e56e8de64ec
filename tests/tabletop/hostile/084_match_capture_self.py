# attack: match env: case self: -- a capture pattern rebinds self
# expect: static
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

    def peek(self, env):
        match env:
            case self:
                return self._sim

    def reset(self, env):
        super().reset(env)
        self.peek(env).saveWorld('/tmp/roboinstruct_canary/084_match_self.py')
        bowl_size = (0.12, 0.12, 0)
        bowl_pose = self.get_random_pose(env, bowl_size)
        env.add_object('bowl/bowl.urdf', bowl_pose, 'fixed')
        block_size = (0.04, 0.04, 0.04)
        block_pose = self.get_random_pose(env, block_size)
        block_id = env.add_object('stacking/block.urdf', block_pose, color=utils.COLORS['red'])
        self.add_goal(objs=[block_id], matches=np.ones((1, 1)), targ_poses=[bowl_pose], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template)
