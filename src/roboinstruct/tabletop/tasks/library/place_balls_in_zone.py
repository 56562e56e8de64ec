"""Put the balls of one colour into a marked zone; balls of other colours stay where they are."""

import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class PlaceBallsInZone(Task):
    """Put all the balls of the named colour inside the named zone, leaving the other balls alone."""

    COLOR_NAMES = ('red', 'green', 'blue', 'yellow', 'purple', 'orange', 'pink', 'cyan')

    def __init__(self):
        super().__init__()
        self.max_steps = 8
        self.lang_template = "put the {ball} balls in the {zone} zone"
        self.task_completed_desc = "done placing balls."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        names = list(np.random.permutation(self.COLOR_NAMES))
        ball_color, zone_color = names[0], names[1]

        zone_size = (0.16, 0.16, 0)
        zone_urdf = self.fill_template('square/square-template.urdf', {'DIM': zone_size})
        zone_pose = self.get_random_pose(env, zone_size)
        env.add_object(zone_urdf, zone_pose, 'fixed', color=utils.COLORS[zone_color])
        # A distractor zone in another colour.
        other_pose = self.get_random_pose(env, zone_size)
        env.add_object(zone_urdf, other_pose, 'fixed', color=utils.COLORS[names[2]])

        diameter = 0.035 + 0.01 * np.random.rand()
        ball_size = (diameter, diameter, diameter)
        ball_urdf = self.fill_template('ball/ball-template.urdf', {'DIM': (diameter,)})
        balls = []
        for _ in range(np.random.randint(1, 4)):
            pose = self.get_random_pose(env, ball_size)
            balls.append(env.add_object(ball_urdf, pose, color=utils.COLORS[ball_color]))
        for _ in range(np.random.randint(1, 4)):
            pose = self.get_random_pose(env, ball_size)
            color = names[2 + np.random.randint(len(names) - 2)]
            env.add_object(ball_urdf, pose, color=utils.COLORS[color])

        self.add_goal(objs=balls, matches=np.ones((len(balls), 1)), targ_poses=[], replace=True,
                      rotations=False, metric='zone', params=[(zone_pose, zone_size)], step_max_reward=1,
                      language_goal=self.lang_template.format(ball=ball_color, zone=zone_color))
