import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class BallInZone(Task):
    """Roll-prone balls into a marked zone (zone metric)."""

    def __init__(self):
        super().__init__()
        self.max_steps = 6
        self.lang_template = "put the balls in the zone"
        self.task_completed_desc = "done."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        zone_size = (0.15, 0.15, 0)
        zone_pose = self.get_random_pose(env, zone_size)
        env.add_object('zone/zone.urdf', zone_pose, 'fixed')
        ball_urdf = self.fill_template('ball/ball-template.urdf', {'DIM': (0.02, 0.02, 0.02)})  # GenSim's ball template: DIM0 is the radius
        balls = []
        for _ in range(2):
            pose = self.get_random_pose(env, (0.04, 0.04, 0.04))
            balls.append(env.add_object(ball_urdf, pose, color=utils.COLORS['blue']))
        self.add_goal(objs=balls, matches=np.ones((2, 1)), targ_poses=[], replace=True, rotations=False,
                      metric='zone', params=[(zone_pose, zone_size)], step_max_reward=1,
                      language_goal=self.lang_template)
