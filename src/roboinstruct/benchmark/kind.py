"""The program domain's suites as `core.kinds` sees them: `ProgramSuite(spec)` for `builtin`,
`roboeval:PATH` or a folder of YAML tasks (any `--tasks` spec no domain kind registered)."""

from __future__ import annotations

from .suite import load_tasks


class ProgramSuite:
    """The program domain's suites as `core.kinds` sees them (`builtin`, `roboeval:PATH`, a folder):
    loaded once from the spec; answers are robot programs in the score's own prompt format."""

    prompt_format = None

    def __init__(self, spec: str = "builtin"):
        self.spec = str(spec)
        self.tasks = load_tasks(self.spec)

    def check_model(self, model) -> None:
        """Nothing to refuse: the program suites hold no training data of ours."""

    def evaluate(self, rows: list[dict], workers: int | None, on_result) -> None:
        from .evaluate import evaluate_programs

        evaluate_programs(rows, self.spec, workers=workers, on_result=on_result)
