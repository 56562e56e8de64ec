"""Stack six blocks into a 3-2-1 pyramid on a stand: bottom row, middle row, then the top block."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class StackBlockPyramid(Task):
    """Build a pyramid of six coloured blocks on the stand, one row at a time."""

    COLOR_NAMES = ('purple', 'blue', 'green', 'yellow', 'orange', 'red', 'cyan', 'pink', 'brown')

    def __init__(self):
        super().__init__()
        self.max_steps = 12
        self.lang_template = "put the {c0}, {c1} and {c2} blocks in the {row} of the pyramid"
        self.task_completed_desc = "done stacking the block pyramid."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)

        # The stand (fixed): 5 x 15 cm, 5 mm high.
        base_size = (0.05, 0.15, 0.005)
        base_pose = self.get_random_pose(env, base_size)
        env.add_object('stacking/stand.urdf', base_pose, 'fixed', color=utils.COLORS['gray'])

        # Six blocks in six different colours.
        names = list(np.random.permutation(self.COLOR_NAMES))[:6]
        block_size = (0.04, 0.04, 0.04)
        blocks = []
        for name in names:
            pose = self.get_random_pose(env, block_size)
            blocks.append(env.add_object('stacking/block.urdf', pose, color=utils.COLORS[name]))

        # Block centres in the stand frame (its centre is 2.5 mm above the table): rows at
        # 2.5 cm (on the stand), 6.5 cm and 10.5 cm above the table.
        place_pos = [(0, -0.05, 0.0225), (0, 0, 0.0225), (0, 0.05, 0.0225),
                     (0, -0.025, 0.0625), (0, 0.025, 0.0625),
                     (0, 0, 0.1025)]
        targs = [utils.multiply(base_pose, (pos, (0, 0, 0, 1))) for pos in place_pos]

        rows = [('bottom row', blocks[:3], targs[:3], names[:3], 3 / 6),
                ('middle row', blocks[3:5], targs[3:5], names[3:5], 2 / 6),
                ('top', blocks[5:], targs[5:], names[5:], 1 / 6)]
        for row, objs, poses, colors, reward in rows:
            if len(colors) == 3:
                lang = self.lang_template.format(c0=colors[0], c1=colors[1], c2=colors[2], row=row)
            elif len(colors) == 2:
                lang = f"put the {colors[0]} and {colors[1]} blocks in the {row} of the pyramid"
            else:
                lang = f"put the {colors[0]} block on the top of the pyramid"
            self.add_goal(objs=objs, matches=np.ones((len(objs), len(poses))), targ_poses=poses, replace=False,
                          rotations=True, metric='pose', params=None, step_max_reward=reward,
                          language_goal=lang)
