"""Towers of Hanoi: move a stack of disks from one stand position to another, one disk per step,
never putting a larger disk on a smaller one (each move is a goal)."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


def hanoi_moves(n, src, dst, aux):
    """The optimal move list [(disk, from_peg, to_peg)] for n disks (disk 0 is the smallest)."""
    if n == 0:
        return []
    return hanoi_moves(n - 1, src, aux, dst) + [(n - 1, src, dst)] + hanoi_moves(n - 1, aux, dst, src)


class TowersOfHanoi(Task):
    """Solve the towers of Hanoi on the three positions of the stand, one disk move at a time."""

    DISK_URDFS = ('hanoi/disk0.urdf', 'hanoi/disk1.urdf', 'hanoi/disk2.urdf')
    DISK_COLORS = ('red', 'green', 'blue')

    def __init__(self):
        super().__init__()
        self.max_steps = 10
        self.lang_template = "solve towers of hanoi"
        self.task_completed_desc = "solved towers of hanoi."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)

        # The stand: three positions 12 cm apart along its y axis; top surface 1 cm high.
        base_size = (0.12, 0.36, 0.01)
        base_pose = self.get_random_pose(env, base_size)
        env.add_object('hanoi/stand.urdf', base_pose, 'fixed', color=utils.COLORS['brown'])
        peg_y = [-0.12, 0.0, 0.12]
        disk_h = 0.015
        top = base_size[2] / 2  # the stand's top, relative to its centre

        n_disks = np.random.randint(2, 4)
        pegs = list(np.random.permutation(3))
        src, dst, aux = int(pegs[0]), int(pegs[1]), int(pegs[2])
        self.max_steps = 2 ** n_disks + 2

        def slot(peg, level):
            pos = (0, peg_y[peg], top + disk_h / 2 + level * disk_h + 0.0005)
            return utils.multiply(base_pose, (pos, (0, 0, 0, 1)))

        # The disks, largest at the bottom, stacked on the source position.
        disks = []
        for i in range(n_disks):
            level = n_disks - 1 - i
            pose = slot(src, level)
            disks.append(env.add_object(self.DISK_URDFS[i], pose, color=utils.COLORS[self.DISK_COLORS[i]]))

        # One goal per move: the disk goes to the top of the stack on its destination position.
        heights = [0, 0, 0]
        heights[src] = n_disks
        moves = hanoi_moves(n_disks, src, dst, aux)
        names = ['left', 'middle', 'right']
        for disk, a, b in moves:
            heights[a] -= 1
            target = slot(b, heights[b])
            heights[b] += 1
            lang = f"move the {self.DISK_COLORS[disk]} disk to the {names[b]} position"
            self.add_goal(objs=[disks[disk]], matches=np.ones((1, 1)), targ_poses=[target], replace=False,
                          rotations=False, metric='pose', params=None, step_max_reward=1 / len(moves),
                          language_goal=lang)
