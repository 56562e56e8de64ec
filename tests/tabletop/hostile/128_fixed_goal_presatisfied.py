# attack: the goal object is 'fixed' and already at its target: 'solved' before the robot moves
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
        bowl_pose = self.get_random_pose(env, (0.12, 0.12, 0))
        bowl_id = env.add_object('bowl/bowl.urdf', bowl_pose, 'fixed')
        self.add_goal(objs=[bowl_id], matches=np.ones((1, 1)), targ_poses=[bowl_pose], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template)
