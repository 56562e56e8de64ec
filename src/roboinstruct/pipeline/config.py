"""A generation run's settings: YAML file + CLI overrides, validated, fingerprinted.

The fingerprint covers exactly the settings that change what the run produces (model,
prompts' inputs, sampling, verification, mode); it names the run directory, and a
directory that holds a run with another fingerprint is never reused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import yaml

from ..errors import UserError

MODES = ("self-instruct", "reject-unsolvable", "robosim", "instalign", "robo-instruct")
METHODS = ("self-instruct", "evol-instruct")
# Settings that do not change the output: how fast, where, and with what cache.
NOT_FINGERPRINTED = {"out", "workers", "no_cache", "concurrency", "timeout", "executor"}


@dataclass
class GenerateConfig:
    num: int = 20                       # pairs to aim for (instructions kept after dedup)
    mode: str = "robo-instruct"
    method: str = "self-instruct"
    seed: int = 0
    domain: str = "service_robot"
    seeds_file: str | None = None       # default: the domain's bundled seed tasks
    backend: str = "local"
    model: str | None = None
    base_url: str | None = None
    shots: int = 3                      # seed/generated examples per instruction prompt
    machine_shots: int = 1              # of which machine-written, once enough exist
    batch: int = 8                      # instruction requests per round
    max_rounds: int | None = None       # default: enough rounds for num at a 25% keep rate
    instruction_temperature: float = 1.0
    program_temperature: float = 0.7
    instalign_temperature: float = 0.3
    max_resamples: int = 3
    repair: bool = False                # show the counterexample when resampling
    dedup_threshold: float = 0.6
    decontaminate: list[str] = field(default_factory=lambda: ["builtin"])
    paths: int = 1000                   # RoboSim path budget per program
    max_tokens_instruction: int = 96
    max_tokens_program: int = 512
    max_tokens_instalign: int = 512     # the revision's chain of thought
    max_tokens_select: int = 256        # the original-vs-revised decision
    out: str | None = None
    workers: int | None = None
    no_cache: bool = False
    concurrency: int | None = None
    timeout: float | None = None
    executor: str = "local"             # local | ray (verification stage)

    def validate(self) -> "GenerateConfig":
        if self.mode not in MODES:
            raise UserError(f"--mode {self.mode!r} is not one of {', '.join(MODES)}")
        if self.method not in METHODS:
            raise UserError(f"--method {self.method!r} is not one of {', '.join(METHODS)}")
        if self.num < 1:
            raise UserError("--num must be at least 1")
        if self.max_resamples < 0:
            raise UserError("--max-resamples must be 0 or more")
        if not 0 < self.dedup_threshold <= 1:
            raise UserError("dedup_threshold must be in (0, 1]")
        if self.executor not in ("local", "ray"):
            raise UserError(f"--executor {self.executor!r} is not one of local, ray")
        if self.shots < 1 or self.batch < 1:
            raise UserError("shots and batch must be at least 1")
        return self

    @property
    def rounds(self) -> int:
        return self.max_rounds or max(4, (self.num * 4 + self.batch - 1) // self.batch)

    def fingerprinted(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in NOT_FINGERPRINTED}

    def fingerprint(self) -> str:
        blob = json.dumps(self.fingerprinted(), sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


def load_config(path: str | None, overrides: dict) -> GenerateConfig:
    """YAML file (optional) then CLI overrides (None means 'not given')."""
    data: dict = {}
    if path:
        try:
            data = yaml.safe_load(Path(path).read_text()) or {}
        except OSError as e:
            raise UserError(f"cannot read config {path}: {e.strerror}") from None
        except yaml.YAMLError as e:
            raise UserError(f"{path}: invalid YAML: {str(e).splitlines()[0]}") from None
        if not isinstance(data, dict):
            raise UserError(f"{path}: a config file must be a YAML mapping of setting: value")
    known = {f.name for f in fields(GenerateConfig)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise UserError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    data.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return GenerateConfig(**data).validate()
    except TypeError as e:
        raise UserError(f"bad config: {e}") from None
