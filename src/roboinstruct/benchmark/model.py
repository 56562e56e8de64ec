"""What a benchmark is made of: tasks with prompts and states, each state with a check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .world import World

VERDICTS = ("Success", "CompletionError", "RobotExecutionError", "PythonError")


@dataclass
class State:
    world: World
    check: Callable[[list], bool]  # over the trace elements; may raise (see evaluate)
    timeout: bool = False  # expected not to terminate: a step-budget stop is then correct
    label: str = ""


@dataclass
class Task:
    name: str
    prompts: list[str]
    states: list[State]
    roboeval: bool = False  # RoboEval's quirks (trace by printed lines, catchable errors, rewrite)
    category: str = ""
    reference: str | None = None
    wrong: dict[str, str] = field(default_factory=dict)
    source: str = ""
