"""The tabletop domain (GenSim): tasks written as `Task` subclasses, validated in PyBullet.
One room per role, as Ravens/CLIPort lay theirs out:

- `catalogue/`: the objects a task may load and the named colours, as data (both sides).
- `env/` (worker side): the physics world, primitive bodies, observations, cameras.
- `taskapi/` (worker side): what task code sees — the `Task` API, the `env` facade, the stand-ins.
- `prompt/`: the task-code prompt and the API reference it shows (text only).
- `validate/`: the caller's half of a verdict (static check, seeds, aggregation, runs on workers);
  `validate/worker/`: the episode, runtime, judge and oracle, and the `*_job` functions.
- `tasks/`: the base library, task sources (files, GenSim checkouts), the held-out suite.
- `learning/`: demonstrations, the Transporter-style policy, training, evaluation;
  `learning/worker/`: the jobs that record and evaluate episodes.

The caller/worker line is a folder line (`tests/layout/test_caller_worker.py`): only `env/`,
`taskapi/` and `worker/` folders import pybullet or run task code. Needs the `tabletop` extra
(pybullet); import submodules directly.
"""
