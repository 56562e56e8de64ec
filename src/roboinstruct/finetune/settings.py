"""Fine-tuning settings: the paper's defaults, validation, and the adapter's fingerprint.

Defaults follow Robo-Instruct (Hu et al. 2024): lr 3e-5, 3% warm-up then a constant
schedule, AdamW, effective batch 8, 5 epochs. The fingerprint covers everything that
changes the trained weights (data, base, hyper-parameters, seed); `out` and `merge` do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..artifacts import fingerprint
from ..errors import UserError
from ..settings import fingerprinted, option
from ..taskprompt import FORMATS

PAPER = {"lr": 3e-5, "warmup_ratio": 0.03, "schedule": "constant_with_warmup", "optimizer": "adamw_torch",
         "effective_batch": 8, "epochs": 5}
LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass
class FinetuneSettings:
    epochs: float = option(PAPER["epochs"], "training epochs (paper: 5)")
    max_steps: int | None = option(None, "stop after this many optimizer steps (overrides --epochs; CI: 1-3)")
    lr: float = option(PAPER["lr"], "learning rate (paper: 3e-5)")
    warmup_ratio: float = option(PAPER["warmup_ratio"], "share of steps for linear warm-up (paper: 0.03)")
    schedule: str = option(PAPER["schedule"])
    optimizer: str = option(PAPER["optimizer"])
    batch_size: int = option(4, "per-device batch")
    grad_accum: int = option(2, "gradient accumulation (4 x 2 = the paper's effective batch of 8)")
    max_len: int = option(1024, "tokens per example, prompt included (the task prompt alone is ~330)")
    lora_r: int = option(16, "LoRA rank")
    lora_alpha: int = option(32, "LoRA alpha")
    lora_dropout: float = option(0.05)
    lora_targets: tuple[str, ...] = option(LORA_TARGETS)
    gradient_checkpointing: bool = option(True, "gradient checkpointing: off is ~30%% faster when memory allows "
                                                "(the 0.5B at 4 x 640 tokens fits in 24 GB without it)")
    seed: int = option(0, "training seed")
    prompt_format: str = option("chat", "the task prompt to train in, as `score --prompt-format` will ask: chat, "
                                        "fewshot, roboeval or tabletop (task files; automatic for a GenSim library)", choices=FORMATS, legacy="chat")
    prompt_files: str | None = option(None, "roboeval: the RoboEval checkout holding code_generation/"
                                            "prompt_prefix.py", legacy=None)

    @property
    def effective_batch(self) -> int:
        return self.batch_size * self.grad_accum

    def validate(self) -> "FinetuneSettings":
        checks = [(self.epochs > 0, "--epochs must be > 0"),
                  (self.max_steps is None or self.max_steps >= 1, "--max-steps must be at least 1"),
                  (0 < self.lr < 1, "--lr must be in (0, 1)"),
                  (0 <= self.warmup_ratio < 1, "warmup_ratio must be in [0, 1)"),
                  (self.batch_size >= 1, "--batch-size must be at least 1"),
                  (self.grad_accum >= 1, "--grad-accum must be at least 1"),
                  (self.max_len >= 16, "--max-len must be at least 16"),
                  (self.lora_r >= 1, "--lora-r must be at least 1"),
                  (self.lora_alpha >= 1, "--lora-alpha must be at least 1"),
                  (0 <= self.lora_dropout < 1, "lora_dropout must be in [0, 1)")]
        for ok, message in checks:
            if not ok:
                raise UserError(message)
        if self.prompt_format == "roboeval":
            raise UserError(LICENSE_REFUSAL)
        return self

    def as_dict(self) -> dict:
        d = fingerprinted(self)  # prompt settings at their legacy values are left out: old fingerprints hold
        d["lora_targets"] = list(self.lora_targets)
        d["effective_batch"] = self.effective_batch
        return d


LICENSE_REFUSAL = ("finetune --prompt-format roboeval: RoboEval's license (clause 4) forbids using its files as "
                   "training data, and this format renders its prompt prefix (API stubs and six example programs) "
                   "into every example; train with --prompt-format chat or fewshot (the domain's own seeds) instead")


def adapter_fingerprint(settings: FinetuneSettings, dataset_sha256: str, base_identity: str,
                        prompt_identity: dict | None = None) -> str:
    """Everything that changes the weights. The prompt counts by content (its files' hash, not
    their path); the default chat prompt adds nothing, so older adapters keep their fingerprints."""
    settings_dict = {k: v for k, v in settings.as_dict().items() if k != "prompt_files"}
    blob = {"settings": settings_dict, "data": dataset_sha256, "base": base_identity}
    if prompt_identity is not None:
        blob["prompt"] = prompt_identity
    return fingerprint(blob)
