import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class InsertEll(Task):
    """Insert the L-shaped block into its fixture."""
    def __init__(self):
        super().__init__()
        self.max_steps = 3
        self.lang_template = "put the L block in the fixture"
        self.task_completed_desc = "done."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        fixture_pose = self.get_random_pose(env, (0.12, 0.12, 0))
        env.add_object('insertion/fixture.urdf', fixture_pose, 'fixed')
        ell = env.add_object('insertion/ell.urdf', self.get_random_pose(env, (0.1, 0.1, 0.04)), color=utils.COLORS['red'])
        self.add_goal(objs=[ell], matches=np.ones((1, 1)), targ_poses=[fixture_pose], replace=False, rotations=True,
                      metric='pose', params=None, step_max_reward=1, language_goal=self.lang_template)
