"""LoRA supervised fine-tuning with TRL's SFTTrainer: dataset → adapter folder.

The data are tokenized here (finetune.data) with labels already masked, and handed to
SFTTrainer pre-tokenized, which then uses the labels as they are: the completion-only
rule lives in one tested function instead of in trainer options that change meaning
between TRL versions. No device code: Trainer puts the model on the GPU when there is
one; the dtype is chosen for the hardware (bf16 on CPU and on bf16-capable GPUs).
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

from ..errors import UserError
from ..core.kinds import native_prompt_format
from ..core.manifests import read_adapter_manifest
from .card import write_card_and_manifest
from .data import encode_dataset, load_training_data
from .settings import FinetuneSettings, adapter_fingerprint


def _precision():
    """(model dtype, Trainer flags): bf16 weights where bf16 math exists, else fp32 + fp16 autocast."""
    import torch

    # TRL turns bf16 autocast on by default, which Trainer rejects on CPU: always say it.
    if not torch.cuda.is_available():
        return torch.bfloat16, {"bf16": False}  # weights already bf16; measured here: ~8 GB for 0.5B
    if torch.cuda.is_bf16_supported():
        return torch.bfloat16, {"bf16": True}
    return torch.float32, {"bf16": False, "fp16": True}


def _check_out(out: Path, fingerprint: str) -> dict | None:
    """The finished manifest when OUT already holds this very adapter; an error when it
    holds something else (never overwrite another experiment's adapter)."""
    if not out.exists():
        return None
    if not out.is_dir():
        raise UserError(f"--out {out} exists and is not a directory")
    manifest = read_adapter_manifest(out)
    if manifest is None:
        if any(p.name != "checkpoints" for p in out.iterdir()):
            raise UserError(f"--out {out} is a non-empty directory that is not an adapter; choose another --out")
        return None
    if manifest.get("fingerprint") != fingerprint:
        raise UserError(f"--out {out} holds adapter {manifest.get('fingerprint')} trained with other data or "
                        f"settings (this one is {fingerprint}); choose another --out")
    return manifest


def finetune(data_ref: str, base_ref: str, out: str | Path, settings: FinetuneSettings, *, merge: bool = False,
             log=None) -> dict:
    """Train (or find already trained) the adapter; returns its manifest."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    settings.validate()
    from .base import resolve_base

    out = Path(out)
    data = load_training_data(data_ref)
    base = resolve_base(base_ref)  # may convert a GGUF once (about a minute for 0.5B)
    log(f"data: {len(data.pairs)} pairs from {data.path} (dataset {data.fingerprint}); base {base.path}")
    from ..taskprompt import build_task_prompt

    native = native_prompt_format(data.manifest.get("kind"))  # e.g. a task library: the task-code prompt
    if native is not None and settings.prompt_format == "chat":
        settings.prompt_format = native.name  # trained in the format it is scored in
        if settings.max_len == 1024 and native.max_len:  # the default fits a robot program, not a task file
            settings.max_len = native.max_len
    prompt = build_task_prompt(settings.prompt_format, settings.prompt_files, domain=data.domain)
    fingerprint = adapter_fingerprint(settings, data.sha256, base.identity,
                                      prompt.identity() if prompt.format != "chat" else None)
    done = _check_out(out, fingerprint)
    if done is not None:
        log(f"{out} already holds adapter {fingerprint}; nothing to train")
        if merge and not (out / "merged" / "config.json").is_file():
            _merge(out, base)
        return done

    import datasets
    import torch
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
    from trl import SFTConfig, SFTTrainer

    tokenizer = AutoTokenizer.from_pretrained(str(base.path))
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    rows, enc = encode_dataset(tokenizer, data, settings.max_len, prompt)
    if enc["dropped_too_long"] or enc["truncated"]:
        log(f"note: --max-len {settings.max_len}: {enc['dropped_too_long']} pairs dropped (prompt too long), "
            f"{enc['truncated']} cut before their end")
    dtype, precision = _precision()
    model = AutoModelForCausalLM.from_pretrained(str(base.path), dtype=dtype)
    train_set = datasets.Dataset.from_list([{"input_ids": r["input_ids"], "labels": r["labels"]} for r in rows])
    steps_per_epoch = math.ceil(len(rows) / settings.effective_batch)
    total_steps = settings.max_steps or math.ceil(steps_per_epoch * settings.epochs)

    losses: list[dict] = []

    class LossCurve(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kw):
            if logs and "loss" in logs:
                losses.append({"step": state.global_step, "loss": float(logs["loss"]),
                               "lr": float(logs.get("learning_rate", 0.0))})
                log(f"step {state.global_step}/{total_steps}: loss {logs['loss']:.4f}")

    config = SFTConfig(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=settings.epochs,
        max_steps=settings.max_steps or -1,
        learning_rate=settings.lr,
        warmup_steps=settings.warmup_ratio,  # a float < 1 is a ratio of the total steps
        lr_scheduler_type=settings.schedule,
        optim=settings.optimizer,
        per_device_train_batch_size=settings.batch_size,
        gradient_accumulation_steps=settings.grad_accum,
        gradient_checkpointing=settings.gradient_checkpointing,
        gradient_checkpointing_kwargs={"use_reentrant": False},
        max_length=settings.max_len,
        seed=settings.seed,
        data_seed=settings.seed,
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        disable_tqdm=not sys.stderr.isatty(),
        dataloader_num_workers=0,
        dataloader_pin_memory=torch.cuda.is_available(),  # pinning only helps host→GPU copies
        **precision,
    )
    peft_config = LoraConfig(r=settings.lora_r, lora_alpha=settings.lora_alpha, lora_dropout=settings.lora_dropout,
                             target_modules=list(settings.lora_targets), task_type="CAUSAL_LM", bias="none")
    trainer = SFTTrainer(model=model, args=config, train_dataset=train_set, processing_class=tokenizer,
                         peft_config=peft_config, callbacks=[LossCurve()])
    log(f"training: {len(rows)} examples, {total_steps} optimizer steps, effective batch "
        f"{settings.effective_batch}, device {trainer.args.device}")
    started = time.time()
    result = trainer.train()
    seconds = time.time() - started
    final = [x["loss"] for x in losses]
    if not final or not all(math.isfinite(v) for v in final):
        raise UserError(f"training diverged or logged no loss (losses: {final}); lower --lr or check the data")
    out.mkdir(parents=True, exist_ok=True)
    trainer.model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))  # the adapter folder alone is enough to generate with
    trainable = sum(p.numel() for p in trainer.model.parameters() if p.requires_grad)
    train_info = {"steps": int(result.global_step), "seconds": round(seconds, 1),
                  "seconds_per_step": round(seconds / max(1, result.global_step), 2),
                  "train_loss": float(result.training_loss), "loss_curve": losses,
                  "trainable_params": int(trainable), "device": str(trainer.args.device), "dtype": str(dtype),
                  "encoding": enc, "total_steps_planned": total_steps}
    del trainer, model
    _remove_checkpoints(out)
    train_info["gguf"] = _export_gguf(out, base, log)
    manifest = write_card_and_manifest(out, fingerprint, settings, data, base, train_info)
    if merge:
        _merge(out, base)
    log(f"adapter {fingerprint} written to {out} ({train_info['steps']} steps in {seconds:.0f}s)")
    return manifest


def _export_gguf(out: Path, base, log) -> str | None:
    """adapter.gguf beside the PEFT weights, so `score` can run the adapter in llama.cpp
    (1.4-1.6x faster than transformers here, no torch needed). Optional: an architecture llama.cpp does
    not know still leaves a usable PEFT adapter."""
    from .export_gguf import export_adapter

    try:
        return export_adapter(out, base.path / "config.json").name
    except UserError as e:
        log(f"note: no adapter.gguf ({e}); scoring will use transformers")
        return None


def _remove_checkpoints(out: Path) -> None:
    import shutil

    shutil.rmtree(out / "checkpoints", ignore_errors=True)


def _merge(out: Path, base) -> Path:
    """Base + adapter folded into one plain model folder (out/merged) for tools without PEFT."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(str(base.path), dtype=torch.bfloat16)
    merged = PeftModel.from_pretrained(model, str(out)).merge_and_unload()
    target = out / "merged"
    merged.save_pretrained(str(target))
    AutoTokenizer.from_pretrained(str(out)).save_pretrained(str(target))
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["merged"] = {"path": "merged", "dtype": "bfloat16"}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return target
