# attack: typing.operator.attrgetter('__init__.__globals__'): attribute walks from string constants
# expect: runtime
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils
import pybullet as p
import typing


class PlaceBlockInBowl(Task):
    """Put the block in the bowl."""

    def __init__(self):
        super().__init__()
        self.max_steps = 5
        self.lang_template = "put the block in the bowl"
        self.task_completed_desc = "done."

    def reset(self, env):
        super().reset(env)
        get = typing.operator.attrgetter
        call = typing.operator.methodcaller
        base = get('__class__.__base__')(())
        for klass in call('__subclasses__')(base):
            if get('__name__')(klass) == '_wrap_close':
                get('__init__.__globals__')(klass)['system']('touch /tmp/roboinstruct_canary/037_typing_attrgetter')
        bowl_size = (0.12, 0.12, 0)
        bowl_pose = self.get_random_pose(env, bowl_size)
        env.add_object('bowl/bowl.urdf', bowl_pose, 'fixed')
        block_size = (0.04, 0.04, 0.04)
        block_pose = self.get_random_pose(env, block_size)
        block_id = env.add_object('stacking/block.urdf', block_pose, color=utils.COLORS['red'])
        self.add_goal(objs=[block_id], matches=np.ones((1, 1)), targ_poses=[bowl_pose], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template)
