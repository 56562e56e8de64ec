"""The tabletop domain (GenSim): tasks written as `Task` subclasses, validated in PyBullet.

- `catalogue.yaml` + `assets`: the objects a task may load, as data; `bodies`: primitive shapes.
- `sim`: the physics world and the suction tip (time in steps); `render`: pictures on demand.
- `task` (the `Task` API), `world` (the `env` facade), `standins` (what imports resolve to).
- `taskcode`: static allow-list + metering; `episode`: one seed; `judge` + `oracle`: goals
  read, judged and demonstrated by the validator's own code; `validate`: the staged verdict
  over K seeds in sandbox workers; `sources`: the base library, files, GenSim checkouts.

Needs the `tabletop` extra (pybullet); import submodules directly.
"""
