import numpy as np
import os
from cliport.tasks.task import Task
from cliport.utils import utils


class KittingMeshes(Task):
    """Uses GenSim's mesh kitting objects: this simulator must say `unsupported`, not substitute."""

    def __init__(self):
        super().__init__()
        self.max_steps = 5
        self.lang_template = "put the shapes in the kit"
        self.task_completed_desc = "done."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        kit_pose = self.get_random_pose(env, (0.28, 0.2, 0.005))
        env.add_object('kitting/kit.urdf', kit_pose, 'fixed')
        shape = os.path.join(self.assets_root, 'kitting', '00.obj')
        urdf = self.fill_template('kitting/object-template.urdf', {'FNAME': (shape,), 'SCALE': [0.003, 0.003, 0.001]})
        pose = self.get_random_pose(env, (0.08, 0.08, 0.02))
        obj = env.add_object(urdf, pose)
        self.add_goal(objs=[obj], matches=np.ones((1, 1)), targ_poses=[kit_pose], replace=False,
                      rotations=True, metric='pose', params=None, step_max_reward=1,
                      language_goal=self.lang_template)
