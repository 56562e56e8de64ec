"""What task code sees (worker side): `task` (the Task API), `world` (the `env` facade),
`standins` (what a task's imports resolve to)."""
