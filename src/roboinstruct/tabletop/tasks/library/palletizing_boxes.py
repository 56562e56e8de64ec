"""Palletize boxes: stack them on the pallet in a grid, one layer after the other."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class PalletizingBoxes(Task):
    """Put all the boxes on the pallet in tidy layers (the first layer before the second)."""

    def __init__(self):
        super().__init__()
        self.max_steps = 20
        self.lang_template = "stack all the boxes on the pallet"
        self.task_completed_desc = "done stacking boxes."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        pallet_size = (0.3, 0.25, 0.015)
        pallet_pose = self.get_random_pose(env, pallet_size)
        env.add_object('pallet/pallet.urdf', pallet_pose, 'fixed', color=utils.COLORS['brown'])

        side = 0.045 + 0.01 * np.random.rand()
        height = 0.035 + 0.015 * np.random.rand()
        box_size = (side, side, height)
        box_urdf = self.fill_template('box/box-template.urdf', {'DIM': box_size})
        nx, ny = [(2, 2), (3, 2)][np.random.randint(2)]
        n_layers = np.random.randint(1, 3)
        n_boxes = nx * ny * n_layers
        self.max_steps = n_boxes + 4

        colors = ['yellow', 'orange', 'brown', 'cyan']
        color = colors[np.random.randint(len(colors))]
        boxes = []
        for _ in range(n_boxes):
            pose = self.get_random_pose(env, box_size)
            boxes.append(env.add_object(box_urdf, pose, color=utils.COLORS[color]))

        # Grid slots in the pallet frame, 1 cm apart; the first layer rests on the pallet's top.
        gap = side + 0.01
        per_layer = nx * ny
        for layer in range(n_layers):
            z = pallet_size[2] / 2 + height / 2 + layer * height
            targs = []
            for i in range(nx):
                for j in range(ny):
                    pos = ((i - (nx - 1) / 2) * gap, (j - (ny - 1) / 2) * gap, z)
                    targs.append(utils.multiply(pallet_pose, (pos, (0, 0, 0, 1))))
            objs = boxes[layer * per_layer:(layer + 1) * per_layer]
            which = 'first' if layer == 0 else 'second'
            self.add_goal(objs=objs, matches=np.ones((per_layer, per_layer)), targ_poses=targs, replace=False,
                          rotations=True, metric='pose', params=None, step_max_reward=1 / n_layers,
                          symmetries=[np.pi / 2] * per_layer,
                          language_goal=f"stack {per_layer} boxes as the {which} layer on the pallet")
