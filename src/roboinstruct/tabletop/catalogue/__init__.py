"""The objects a task may load, as data: `catalogue.yaml` read by `assets` (resolve a name, the
prompt's asset list) and the named `colors`. Pure data: no pybullet; both sides of the caller/worker
line read it."""
