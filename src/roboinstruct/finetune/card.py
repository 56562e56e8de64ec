"""The adapter's README.md (model card), loss_curve.svg and manifest.json (lineage).

manifest.json is the machine-readable link in the chain dataset run → adapter → score:
it names the dataset by its run fingerprint and file hash, the base by its content
identity, the settings, and hashes of the adapter's own files. `roboinstruct score`
copies its fingerprint and the dataset's into every result.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..artifacts import atomic_write, hash_file, versions, write_json
from ..core.manifests import ADAPTER_KIND

KIND = ADAPTER_KIND
_PACKAGES = ("roboinstruct", "torch", "transformers", "peft", "trl", "accelerate", "datasets", "gguf")


def loss_svg(curve: list[dict], width: int = 480, height: int = 200) -> str:
    """A polyline of loss per step; self-contained, opens anywhere."""
    if not curve:
        return "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
    xs, ys = [c["step"] for c in curve], [c["loss"] for c in curve]
    lo, hi = min(ys), max(ys)
    span_y, span_x, pad = (hi - lo) or 1.0, (max(xs) - min(xs)) or 1, 30
    pts = " ".join(f"{pad + (x - min(xs)) / span_x * (width - 2 * pad):.1f},"
                   f"{height - pad - (y - lo) / span_y * (height - 2 * pad):.1f}" for x, y in zip(xs, ys))
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'>"
            f"<polyline fill='none' stroke='#4a7fb5' stroke-width='2' points='{pts}'/>"
            f"<text x='{pad}' y='15' font-size='12'>loss {hi:.3f} → {ys[-1]:.3f} over {max(xs)} steps</text></svg>")


def _card(fingerprint: str, settings, data, base, train: dict) -> str:
    s = settings.as_dict()
    rows = "\n".join(f"| {k} | {v} |" for k, v in s.items())
    curve = train["loss_curve"]
    shown = curve if len(curve) <= 40 else curve[:: max(1, len(curve) // 40)] + curve[-1:]
    loss_rows = "\n".join(f"| {c['step']} | {c['loss']:.4f} |" for c in shown)
    return f"""---
base_model: {base.name}
library_name: peft
tags: [roboinstruct, lora, sft, robot-programs]
---
# LoRA adapter {fingerprint}

Fine-tuned by `roboinstruct finetune` (TRL SFTTrainer + PEFT LoRA) to write
`def task_program():` robot programs from instructions.

- **Base model:** `{base.name}` ({base.identity}; trained from `{base.path}`)
- **Dataset:** run `{data.fingerprint}` ({data.lineage()['rows']} pairs, mode
  `{data.lineage()['mode']}`), file `{data.path}` sha256 `{data.sha256[:16]}…`
- **Training:** {train['steps']} optimizer steps in {train['seconds']} s on `{train['device']}`
  ({train['seconds_per_step']} s/step), final train loss {train['train_loss']:.4f},
  {train['trainable_params']:,} trainable parameters
- **Loss:** completion only — the task prompt (domain API + instruction, exactly as at
  evaluation) is masked; the model learns the program and the EOS after it.

## Settings (defaults follow the Robo-Instruct paper: lr 3e-5, 3% warm-up, constant schedule, AdamW, effective batch 8, 5 epochs)

| setting | value |
|---|---|
{rows}

## Loss curve

![loss curve](loss_curve.svg)

| step | loss |
|---|---|
{loss_rows}

## Use

    roboinstruct score --model adapter:{'PATH/TO/THIS/FOLDER'} --tasks builtin --out scores/

`manifest.json` links this adapter to its dataset run and base model by fingerprint.
"""


def write_card_and_manifest(out: Path, fingerprint: str, settings, data, base, train: dict) -> dict:
    atomic_write(out / "loss_curve.svg", loss_svg(train["loss_curve"]))
    atomic_write(out / "README.md", _card(fingerprint, settings, data, base, train))
    files = {p.name: hash_file(p) for p in sorted(out.iterdir())
             if p.is_file() and p.suffix in (".safetensors", ".json", ".gguf") and p.name != "manifest.json"}
    manifest = {
        "kind": KIND,
        "fingerprint": fingerprint,
        "dataset": data.lineage(),
        "base": base.describe(),
        "settings": settings.as_dict(),
        "train": train,
        "versions": versions(_PACKAGES),
        "files": files,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_json(out / "manifest.json", manifest)  # written last: its presence means the adapter is complete
    return manifest
