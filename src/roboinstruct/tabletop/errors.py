"""What stops a task's validation, raised from the task API into untrusted task code.

Both derive from BaseException so a task's `except Exception:` cannot swallow them (the
static check forbids naming BaseException); the runtime also records each one it raises, so
even a swallowed defect still fails the task.
"""

from __future__ import annotations

# The stages of a task verdict, in the order they are checked.
STAGES = ("parse", "sandbox", "instantiate", "reset", "unsupported", "assets", "templates", "goals",
          "matches", "rewards", "language", "workspace", "overlap", "stable", "trivial", "oracle",
          "determinism")


class TaskDefect(BaseException):
    """The task broke a rule of the task API; `stage` names which check it fails."""

    def __init__(self, stage: str, message: str):
        assert stage in STAGES, stage
        super().__init__(message)
        self.stage, self.message = stage, message


class Unsupported(BaseException):
    """The task uses something this simulator does not model (piles, ropes, meshes, spatula)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.stage, self.message = "unsupported", message
