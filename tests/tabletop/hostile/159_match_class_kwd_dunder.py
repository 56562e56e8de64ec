# attack: match class patterns read attributes from kwd_attrs strings (no Attribute node): __class__ -> __mro__ -> __subclasses__ -> __globals__
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

    def reset(self, env):
        super().reset(env)
        function = type(lambda: 0)
        klass = mro = subclasses = init = namespace = None
        match self:
            case Task(__class__=klass):
                pass
        match klass:
            case type(__mro__=mro):
                pass
        match mro[-1]:
            case type(__subclasses__=subclasses):
                pass
        for candidate in subclasses():
            match candidate:
                case type(__name__='_wrap_close', __init__=init):
                    match init:
                        case function(__globals__=namespace):
                            namespace['system']('touch /tmp/roboinstruct_canary/159_match_dunder')
        bowl_size = (0.12, 0.12, 0)
        bowl_pose = self.get_random_pose(env, bowl_size)
        env.add_object('bowl/bowl.urdf', bowl_pose, 'fixed')
        block_size = (0.04, 0.04, 0.04)
        block_pose = self.get_random_pose(env, block_size)
        block_id = env.add_object('stacking/block.urdf', block_pose, color=utils.COLORS['red'])
        self.add_goal(objs=[block_id], matches=np.ones((1, 1)), targ_poses=[bowl_pose], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template)
