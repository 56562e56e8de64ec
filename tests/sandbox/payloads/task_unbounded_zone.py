# class: judge rule: a zone far larger than the table counts any placement; the second goal asks for nothing once the first is done | stopped by: the goal check (zone sides at most validate.surface.MAX_ZONE_SIDE, in the task's child and again in the physics child)
# mode: task
# expect: fail
# reason: zone 1: size
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class AnywhereZone(Task):
    def __init__(self):
        super().__init__()
        self.max_steps = 4
        self.lang_template = "put the red block on the target, then the blue block in the zone"

    def reset(self, env):
        super().reset(env)
        size = (0.04, 0.04, 0.04)
        red = env.add_object("stacking/block.urdf", self.get_random_pose(env, size), color=utils.COLORS["red"])
        target = self.get_random_pose(env, size)
        blue = env.add_object("stacking/block.urdf", self.get_random_pose(env, size), color=utils.COLORS["blue"])
        zone = ((0.5, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0))
        self.add_goal(objs=[red], matches=np.ones((1, 1)), targ_poses=[target], replace=False, rotations=False,
                      metric="pose", params=None, step_max_reward=0.5, language_goal="put the red block on the target")
        self.add_goal(objs=[red, blue], matches=np.ones((2, 1)), targ_poses=[], replace=True, rotations=False,
                      metric="zone", params=[(zone, (1000.0, 1000.0, 0.0))], step_max_reward=0.5,
                      language_goal="put the blocks in the zone")
