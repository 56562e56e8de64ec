"""A scripted chat backend for the GenSim loop's unit tests (real runs use the embedded model).

Answers depend only on the request (its seed and content), so two runs with the same settings
get the same answers; every call is appended to CALL_LOG (one JSON line) when that is set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from roboinstruct.llm.types import Response, Usage

TASK = '''import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class {cls}(Task):
    """Put {n} {color} blocks into one bowl each."""

    def __init__(self):
        super().__init__()
        self.max_steps = 6
        self.lang_template = "put the {color} blocks in the bowls"
        self.task_completed_desc = "done."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        bowls, blocks = [], []
        for _ in range({n}):
            pose = self.get_random_pose(env, (0.12, 0.12, 0))
            env.add_object('bowl/bowl.urdf', pose, 'fixed')
            bowls.append(pose)
        for _ in range({n}):
            pose = self.get_random_pose(env, (0.04, 0.04, 0.04))
            blocks.append(env.add_object('stacking/block.urdf', pose, color=utils.COLORS['{color}']))
        self.add_goal(objs=blocks, matches=np.ones(({n}, {n})), targ_poses=bowls, replace=False,
                      rotations=False, metric='pose', params=None, step_max_reward={reward},
                      language_goal=self.lang_template)
'''
ZONE_TASK = '''import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class {cls}(Task):
    """Gather {n} {color} cylinders inside a marked zone."""

    def __init__(self):
        super().__init__()
        self.max_steps = 5
        self.lang_template = "gather the {color} cylinders in the zone"
        self.task_completed_desc = "all gathered."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        zone_size = (0.16, 0.16, 0)
        zone_pose = self.get_random_pose(env, zone_size)
        env.add_object('zone/zone.urdf', zone_pose, 'fixed')
        urdf = self.fill_template('cylinder/cylinder-template.urdf', {{'DIM': (0.03, 0.03, 0.05)}})
        items = [env.add_object(urdf, self.get_random_pose(env, (0.03, 0.03, 0.05)), color=utils.COLORS['{color}'])
                 for _ in range({n})]
        self.add_goal(objs=items, matches=np.ones(({n}, 1)), targ_poses=[], replace=True, rotations=False,
                      metric='zone', params=[(zone_pose, zone_size)], step_max_reward={reward},
                      language_goal=self.lang_template)
'''
STACK_TASK = '''import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


class {cls}(Task):
    """Stack two {color} blocks on a corner marking."""

    def __init__(self):
        super().__init__()
        self.max_steps = 4
        self.lang_template = "stack the {color} blocks on the corner"
        self.task_completed_desc = "stacked."
        self.additional_reset()

    def reset(self, env):
        super().reset(env)
        base = self.get_random_pose(env, (0.06, 0.06, 0))
        self.add_corner_anchor_for_pose(env, base)
        blocks = [env.add_object('stacking/block.urdf', self.get_random_pose(env, (0.04, 0.04, 0.04)),
                                 color=utils.COLORS['{color}']) for _ in range(2)]
        for level in range(2):
            target = (utils.apply(base, (0, 0, 0.02 + 0.04 * level)), base[1])
            self.add_goal(objs=[blocks[level]], matches=np.ones((1, 1)), targ_poses=[target], replace=False,
                          rotations=False, metric='pose', params=None, step_max_reward={reward} / 2,
                          language_goal=self.lang_template)
'''
COLORS = ["red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"]
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
DESCRIPTIONS = ["sort the red cubes into round bowls", "each blue block must end inside its own bowl",
                "move green pieces from the table into the containers", "yellow blocks go into separate dishes",
                "place every purple cube in a bowl of its own", "orange blocks should rest inside bowls",
                "drop the pink cubes in the bowls one by one", "cyan blocks belong in the round dishes"]


class ScriptedBackend:
    name, model = "scripted", "scripted"

    def __init__(self, broken_first_code: bool = True, reject: set[int] = frozenset()):
        self.broken_first_code = broken_first_code
        self.reject = reject  # trial numbers the critic rejects
        self.calls = 0

    def _answer(self, req) -> str:
        user = req.messages[-1]["content"]
        schema = json.loads(req.json_schema) if req.json_schema else {}
        props = schema.get("properties", {})
        if "tasks" in props:
            return json.dumps({"tasks": [{"name": f"warmup-{WORDS[i]}", "description": DESCRIPTIONS[i]}
                                         for i in range(3)]})
        if "references" in props:  # the library task sharing most words with the task's name, and a wrong name
            target = set(user.split("Name: ")[1].split("\n")[0].split("-"))
            listed = [line[2:] for line in user.splitlines() if line.startswith("- ")]
            best = sorted(listed, key=lambda n: (-len(target & set(n.split("-"))), n))[0]
            return json.dumps({"references": [best.replace("-", "_") + ".py", "no-such-task"]})
        if "accept" in props:
            trial = (req.seed // 1009) % 1000
            return json.dumps({"reason": "fine", "accept": trial not in self.reject})
        if "name" in props:
            i = (req.seed // 1009) % len(WORDS)
            return json.dumps({"name": f"bowl-task-{WORDS[i]}", "description": DESCRIPTIONS[i], "assets": ["bowl/bowl.urdf", "stacking/block.urdf"]})
        # code or repair: the class name and colour follow the task name in the prompt
        words = user.split("Name: ")[-1].split("\n")[0] if "Name: " in user else "repair"
        i = sum(map(ord, words)) % len(COLORS)
        first = "Fix the task" not in user
        reward = 3 if (first and self.broken_first_code) else 1
        cls = "".join(w.title() for w in words.replace("-", " ").split()) or "Repaired"
        if not first:  # a repair: reuse the class of the previous answer
            prev = [m["content"] for m in req.messages if m["role"] == "assistant"][-1]
            return "```python\n" + prev.split("```python\n")[1].split("```")[0].replace(
                "step_max_reward=3", "step_max_reward=1") + "```"
        template = STACK_TASK if "master" in words else ZONE_TASK if "bravo" in words or "delta" in words else TASK
        return "```python\n" + template.format(cls=cls, n=1 + i % 2, color=COLORS[i], reward=reward) + "```"

    def generate(self, requests, progress=None):
        out = []
        for req in requests:
            kill_after = os.environ.get("KILL_AFTER_CALLS")
            if kill_after and self.calls >= int(kill_after):  # killed mid-run: after a recorded answer
                os.kill(os.getpid(), 9)
            self.calls += 1
            log = os.environ.get("CALL_LOG")
            if log:
                with Path(log).open("a") as f:
                    f.write(json.dumps({"seed": req.seed, "last": req.messages[-1]["content"][-80:]}) + "\n")
            texts = [self._answer(req) for _ in range(req.n)]
            out.append(Response(texts=texts, finish_reasons=["stop"] * req.n, usage=Usage(100, 50)))
        return out

    def close(self):
        pass
