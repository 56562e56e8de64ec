"""The worker's half of validation: runs task code, only inside sandbox worker processes.
`runtime` (exec with metering), `episode` (one seed), `judge` + `oracle` (goals judged and
demonstrated by our code), `jobs` (the `*_job` functions the worker pool calls)."""
