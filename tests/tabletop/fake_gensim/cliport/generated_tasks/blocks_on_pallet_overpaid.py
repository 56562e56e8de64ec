import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class BlocksOnPalletOverpaid(Task):
    """Three blocks onto a pallet, but every goal pays the full reward (rewards sum to 3)."""

    def __init__(self):
        super().__init__()
        self.max_steps = 6
        self.lang_template = "put the blocks on the pallet"
        self.task_completed_desc = "done."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        pallet_pose = self.get_random_pose(env, (0.3, 0.25, 0.015))
        env.add_object('pallet/pallet.urdf', pallet_pose, 'fixed')
        for i in range(3):
            pose = self.get_random_pose(env, (0.04, 0.04, 0.04))
            block = env.add_object('stacking/block.urdf', pose, color=utils.COLORS['yellow'])
            target = (utils.apply(pallet_pose, (0.08 * (i - 1), 0, 0.03)), pallet_pose[1])
            self.add_goal(objs=[block], matches=np.ones((1, 1)), targ_poses=[target], replace=False,
                          rotations=False, metric='pose', params=None, step_max_reward=1)
            self.lang_goals.append(self.lang_template)
