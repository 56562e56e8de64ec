# attack: recurse in reset to just past the depth a job may use (1988): under the zygote's absolute limit a spare child (forked ahead, deeper in its zygote's stack) refused a task 1984 deep that a child forked for its job accepted, so the verdict hung on the file's place in the batch
# expect: runtime
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class PlaceBlockInBowlDeep(Task):
    """Put the block in the bowl."""

    def __init__(self):
        super().__init__()
        self.max_steps = 5
        self.lang_template = "put the block in the bowl"
        self.task_completed_desc = "done."

    def descend(self, depth):
        if depth >= 1988:
            return depth
        return self.descend(depth + 1)

    def reset(self, env):
        super().reset(env)
        self.descend(0)
        bowl_size = (0.12, 0.12, 0)
        bowl_pose = self.get_random_pose(env, bowl_size)
        env.add_object('bowl/bowl.urdf', bowl_pose, 'fixed')
        block_size = (0.04, 0.04, 0.04)
        block_pose = self.get_random_pose(env, block_size)
        block_id = env.add_object('stacking/block.urdf', block_pose, color=utils.COLORS['red'])
        self.add_goal(objs=[block_id], matches=np.ones((1, 1)), targ_poses=[bowl_pose], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template)
