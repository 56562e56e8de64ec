"""The task-code prompt (`format`: `--prompt-format tabletop`) and the API `reference` it shows,
rendered from the task API's docstrings without importing it (caller side: no pybullet)."""
