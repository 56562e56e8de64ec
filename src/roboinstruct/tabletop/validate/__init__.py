"""Is a task real? The caller's half (no pybullet, runs no task code): `taskcode` (static allow-list),
`seeds` (K seeds from the code hash), `verdict` (aggregation of per-seed results into a TaskVerdict),
`run` (validate_many over sandbox workers, or Ray). The worker's half is `worker/`."""
