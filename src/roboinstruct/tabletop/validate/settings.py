"""The settings of a validation run (`tabletop validate | tasks`), declared once: the CLI's flags
are generated from them (`cli.options`), and GenSim's loop takes its K and τ defaults from here."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import UserError
from ...settings import option
from .seeds import DEFAULT_SEEDS, DEFAULT_TAU

EXECUTORS = ("local", "ray")
ROBOTS = ("tip", "arm")


@dataclass
class ValidateSettings:
    seeds: int = option(DEFAULT_SEEDS, "distinct seeds per task (K)")
    tau: float = option(DEFAULT_TAU, "oracle success share needed")
    seed: int = option(0, "run seed the episode seeds derive from")
    workers: int | None = option(None, "sandbox workers (default: number of cores)")
    # not fingerprinted: the verdicts are the same either way (validate.decided); only the counts differ
    every_oracle: bool = option(False, "run the oracle on every seed, even once the verdict is decided (each seed's "
                                       "own outcome: per-seed pass rates)", fingerprinted=False)
    executor: str = option("local", "local sandbox workers, or fan out over Ray (RAY_ADDRESS or a local Ray)",
                           choices=EXECUTORS)
    robot: str = option("tip", "what carries the oracle's objects: the floating suction tip (fast), or a Franka Panda "
                               "arm from pybullet_data with a suction cup, driven as GenSim's UR5 is (reach, arm "
                               "collisions; slower)", choices=ROBOTS, legacy="tip")

    def validate(self) -> ValidateSettings:
        if self.seeds < 1:
            raise UserError("--seeds must be at least 1")
        if not 0 < self.tau <= 1:
            raise UserError("--tau must be in (0, 1]")
        if self.workers is not None and self.workers < 1:
            raise UserError("--workers must be at least 1")
        return self
