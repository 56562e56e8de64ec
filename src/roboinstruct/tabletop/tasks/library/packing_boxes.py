"""Packing boxes: fit boxes of different sizes snugly into a container, each in its own space."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


def split(length, parts):
    """Cut `length` into `parts` random pieces, none shorter than about half an even share."""
    if parts == 1:
        return [length]
    weights = 0.6 + 0.8 * np.random.rand(parts)
    return list(length * weights / np.sum(weights))


class PackingBoxes(Task):
    """Pack all the boxes into the container; together they fill it like a puzzle."""

    def __init__(self):
        super().__init__()
        self.max_steps = 10
        self.lang_template = "pack all the boxes inside the {color} container"
        self.task_completed_desc = "done packing boxes."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        wall = 0.005
        container_size = (0.2 + 0.06 * np.random.rand(), 0.14 + 0.06 * np.random.rand(), 0.06)
        container_color = ['brown', 'gray', 'white'][np.random.randint(3)]
        container_pose = self.get_random_pose(env, container_size)
        container_urdf = self.fill_template('container/container-template.urdf', {'DIM': container_size})
        env.add_object(container_urdf, container_pose, 'fixed', color=utils.COLORS[container_color])

        # Cut the inside into a grid of cells; each box fills a cell up to 6 mm on every side.
        inner_x, inner_y = container_size[0] - 2 * wall, container_size[1] - 2 * wall
        nx, ny = [(2, 1), (3, 1), (2, 2), (3, 2)][np.random.randint(4)]  # no box longer than ~13 cm
        widths, depths = split(inner_x, nx), split(inner_y, ny)
        margin = 0.006
        colors = ['red', 'green', 'blue', 'yellow', 'orange', 'purple', 'cyan', 'pink']
        boxes, zones = [], []
        x0 = -inner_x / 2
        for i in range(nx):
            y0 = -inner_y / 2
            for j in range(ny):
                w, d = widths[i], depths[j]
                centre = (x0 + w / 2, y0 + d / 2, 0)
                zone_pose = utils.multiply(container_pose, (centre, (0, 0, 0, 1)))
                zones.append((zone_pose, (w, d, 0)))
                size = (w - 2 * margin, d - 2 * margin, 0.03 + 0.02 * np.random.rand())
                urdf = self.fill_template('box/box-template.urdf', {'DIM': size})
                pose = self.get_random_pose(env, size)
                color = colors[len(boxes) % len(colors)]
                boxes.append(env.add_object(urdf, pose, color=utils.COLORS[color]))
                y0 += d
            x0 += widths[i]
        n = len(boxes)
        self.max_steps = n + 3

        self.add_goal(objs=boxes, matches=np.eye(n), targ_poses=[], replace=False, rotations=True,
                      metric='zone', params=zones, step_max_reward=1,
                      language_goal=self.lang_template.format(color=container_color))
