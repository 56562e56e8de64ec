"""A task-generation run's settings (GenSim's loop): YAML + CLI overrides, fingerprinted."""

from __future__ import annotations

from dataclasses import dataclass

from ..artifacts import fingerprint
from ..errors import UserError
from ..llm.settings import BackendSettings
from ..settings import fingerprinted, load_settings, option
from ..tabletop.validate.seeds import DEFAULT_SEEDS, DEFAULT_TAU

MODES = ("bottom-up", "top-down", "curriculum")
REFERENCES = ("similarity", "model")


@dataclass
class GensimConfig(BackendSettings):
    trials: int = option(5, "trials: each proposes (or takes from the plan) one task and tries to add it")
    mode: str = option("bottom-up", "bottom-up: new tasks unlike the library's; top-down: the --target task; "
                                    "curriculum: stepping-stone tasks planned toward --target", choices=MODES)
    target: str | None = option(None, "top-down / curriculum: the target task, e.g. build-a-car")
    seed: int = option(0, "seed of every sampled request and of the validation seeds")
    seeds: int = option(DEFAULT_SEEDS, "distinct simulator seeds per validation (K)")
    tau: float = option(DEFAULT_TAU, "share of seeds the oracle must solve")
    repair_rounds: int = option(2, "rounds of 'here is the failing stage, fix the code' after a failed validation")
    critic: bool = option(True, "ask a critic to accept the validated task (--no-critic turns it off)")
    critic_samples: int = option(1, "critic verdicts sampled; all must accept")
    examples: int = option(2, "library tasks shown as code examples (the most similar ones)")
    references: str = option("similarity", "how the code examples are picked: similarity (the most similar by words) "
                                           "or model (the model picks them from the library's list, as GenSim's "
                                           "pipeline does; the most similar fill any it names wrongly)",
                             choices=REFERENCES, legacy="similarity")
    summary: int = option(12, "library tasks listed in the propose prompt (the most relevant ones)")
    curriculum_steps: int = option(3, "curriculum: stepping-stone tasks before the target")
    novelty_threshold: float = option(0.7, "reject a proposal whose description is this similar to a library task's")
    temperature: float = option(0.8, "sampling temperature of proposals")
    code_temperature: float = option(0.3, "sampling temperature of task code and repairs")
    max_tokens_code: int = option(1400)
    max_tokens_propose: int = option(256)
    # outputs are rebuilt from the records on every run, so this can change on a finished run
    dataset_base: bool = option(False, "dataset.jsonl also holds the starting library's tasks (GenSim fine-tunes "
                                       "on the whole library), not only the accepted ones", fingerprinted=False)
    library: str | None = option(None, "what starts the library: a folder of task files, or gensim:PATH (the base "
                                       "library plus a GenSim checkout's accepted tasks, its fine-tuning targets held "
                                       "out; PATH a checkout or a `tabletop dataset` folder); default the base library")
    out: str | None = option(None, "run directory (default runs/gensim-<fingerprint>)", fingerprinted=False)
    workers: int | None = option(None, "sandbox worker processes for validation (default: cores)",
                                 fingerprinted=False)

    def validate(self) -> GensimConfig:
        if self.mode not in MODES:
            raise UserError(f"--mode {self.mode!r} is not one of {', '.join(MODES)}")
        if self.mode != "bottom-up" and not self.target:
            raise UserError(f"--mode {self.mode} needs --target NAME (e.g. --target build-a-car)")
        if self.references not in REFERENCES:
            raise UserError(f"--references {self.references!r} is not one of {', '.join(REFERENCES)}")
        if self.trials < 1:
            raise UserError("--trials must be at least 1")
        if self.seeds < 1 or not 0 < self.tau <= 1:
            raise UserError("--seeds must be at least 1 and --tau in (0, 1]")
        if self.repair_rounds < 0 or self.critic_samples < 1 or self.examples < 0 or self.curriculum_steps < 1:
            raise UserError("--repair-rounds and --examples must be >= 0, --critic-samples and "
                            "--curriculum-steps >= 1")
        if not 0 < self.novelty_threshold <= 1:
            raise UserError("--novelty-threshold must be in (0, 1]")
        if self.workers is not None and self.workers < 1:
            raise UserError("--workers must be at least 1")
        self.check_backend()
        return self

    def fingerprinted(self) -> dict:
        return fingerprinted(self)

    def fingerprint(self) -> str:
        return fingerprint(self.fingerprinted())


def load_config(path: str | None, overrides: dict) -> GensimConfig:
    """defaults < YAML file (optional) < CLI overrides (None means 'not given')."""
    return load_settings(GensimConfig, path, overrides)
