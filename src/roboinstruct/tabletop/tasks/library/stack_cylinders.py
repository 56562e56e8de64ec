"""Stack cylinders into a tower on a marked spot, in a given colour order from the bottom up."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class StackCylinders(Task):
    """Stack the cylinders on the square marking: the first named colour at the bottom."""

    COLOR_NAMES = ('red', 'green', 'blue', 'yellow', 'purple', 'orange', 'cyan')

    def __init__(self):
        super().__init__()
        self.max_steps = 8
        self.lang_template = "stack the cylinders on the square, {order} from the bottom up"
        self.task_completed_desc = "done stacking cylinders."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        n = np.random.randint(2, 5)
        names = list(np.random.permutation(self.COLOR_NAMES))[:n]
        diameter = 0.04 + 0.01 * np.random.rand()
        height = 0.045 + 0.015 * np.random.rand()
        size = (diameter, diameter, height)
        urdf = self.fill_template('cylinder/cylinder-template.urdf', {'DIM': size})

        mark_size = (diameter + 0.02, diameter + 0.02, 0)
        base = self.get_random_pose(env, mark_size)
        mark_urdf = self.fill_template('square/square-template.urdf', {'DIM': mark_size})
        env.add_object(mark_urdf, ((base[0][0], base[0][1], 0.0005), base[1]), 'fixed',
                       color=utils.COLORS['gray'])

        cylinders = []
        for name in names:
            pose = self.get_random_pose(env, size)
            cylinders.append(env.add_object(urdf, pose, color=utils.COLORS[name]))
        self.max_steps = n + 3

        order = ', '.join(names[:-1]) + ' and ' + names[-1]
        self.lang_template = self.lang_template.format(order=order)
        for k in range(n):
            target = ((base[0][0], base[0][1], height / 2 + k * height), base[1])
            where = 'on the square' if k == 0 else f'on the {names[k - 1]} cylinder'
            self.add_goal(objs=[cylinders[k]], matches=np.ones((1, 1)), targ_poses=[target], replace=False,
                          rotations=False, metric='pose', params=None, step_max_reward=1 / n,
                          language_goal=f"put the {names[k]} cylinder {where}")
