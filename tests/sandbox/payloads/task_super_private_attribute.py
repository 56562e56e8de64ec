# class: raw surface: `super()` was exempt from the private-attribute rule (for `super().__init__`), so `super()._x` and `super(Cls, obj)._x` reached any single-underscore member of the task's base classes, and of the class a two-argument super names (utils.TreeNode is a class task code has), outside the attribute allow-list: nothing private is on Task or object today, a later helper on the base class would have been task code's | stopped by: AST check (only `__init__` among private names on super())
# mode: task
# expect: rejected
# reject: private attribute '_world' may only be used on self
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class SuperPrivate(Task):
    def __init__(self):
        super().__init__()
        self.lang_template = "put the block on the right"

    def reset(self, env):
        super().reset(env)
        world = super()._world(env)
        node = utils.TreeNode(None, [], [0, 0, 0, 1, 1, 1])
        parts = super(utils.TreeNode, node)._parts
        block = env.add_object("stacking/block.urdf", ((0.5, -0.2, 0.02), (0.0, 0.0, 0.0, 1.0)))
        self.add_goal(objs=[block], matches=np.ones((1, 1)), targ_poses=[((0.5, 0.2, 0.02), (0, 0, 0, 1))],
                      replace=False, rotations=False, metric="pose", params=None, step_max_reward=1,
                      language_goal=str(world) + str(parts))
