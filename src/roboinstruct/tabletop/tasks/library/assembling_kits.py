"""Assembling kits: put each object into its own outlined slot on a kit tray, rotated to fit."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class AssemblingKits(Task):
    """Put every object into the slot of its colour on the kit; slot outlines show the rotation."""

    COLOR_NAMES = ('red', 'green', 'blue', 'yellow', 'orange', 'purple', 'cyan', 'pink')

    def __init__(self):
        super().__init__()
        self.max_steps = 8
        self.lang_template = "put all the objects in the kit in their matching slots"
        self.task_completed_desc = "done assembling kit."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        kit_size = (0.28, 0.2, 0.005)
        kit_pose = self.get_random_pose(env, kit_size)
        env.add_object('kitting/kit.urdf', kit_pose, 'fixed', color=utils.COLORS['gray'])

        # Six slots in a 3 x 2 grid on the kit; a random subset of them gets an object.
        slots = [(x, y) for x in (-0.09, 0.0, 0.09) for y in (-0.05, 0.05)]
        n = np.random.randint(3, 6)
        order = np.random.permutation(len(slots))[:n]
        names = list(np.random.permutation(self.COLOR_NAMES))[:n]

        objs, targs, syms = [], [], []
        for k in range(n):
            kind = np.random.randint(3)
            if kind == 0:
                size = (0.04, 0.04, 0.04)
                urdf, sym = 'stacking/block.urdf', np.pi / 2
            elif kind == 1:
                size = (0.06, 0.03, 0.03)
                urdf, sym = self.fill_template('box/box-template.urdf', {'DIM': size}), np.pi
            else:
                size = (0.04, 0.04, 0.05)
                urdf, sym = self.fill_template('cylinder/cylinder-template.urdf', {'DIM': size}), 0
            color = utils.COLORS[names[k]]

            # The slot: an outline on the kit, at a random rotation (quarter turns).
            sx, sy = slots[order[k]]
            theta = np.random.randint(4) * np.pi / 2
            slot_rot = utils.eulerXYZ_to_quatXYZW((0, 0, theta))
            mark = utils.multiply(kit_pose, ((sx, sy, kit_size[2] / 2 + 0.0005), slot_rot))
            outline = self.fill_template('square/square-template.urdf',
                                         {'DIM': (size[0] + 0.01, size[1] + 0.01, 0)})
            env.add_object(outline, mark, 'fixed', color=color)
            targs.append(utils.multiply(kit_pose, ((sx, sy, kit_size[2] / 2 + size[2] / 2), slot_rot)))

            pose = self.get_random_pose(env, size)
            objs.append(env.add_object(urdf, pose, color=color))
            syms.append(sym)

        self.add_goal(objs=objs, matches=np.eye(n), targ_poses=targs, replace=False, rotations=True,
                      metric='pose', params=None, step_max_reward=1, symmetries=syms,
                      language_goal=self.lang_template)
