"""`roboinstruct finetune`: dataset run → LoRA adapter folder (card + manifest)."""

from __future__ import annotations

import importlib.util

from ..errors import UserError

_NEEDS = ("torch", "transformers", "peft", "trl", "datasets")


def register(sub) -> None:
    from ..finetune.settings import FinetuneSettings
    from .options import add_settings_flags

    p = sub.add_parser("finetune", help="LoRA fine-tune a code model on a generated dataset (TRL + PEFT)",
                       description="Supervised fine-tuning on completion only (the task prompt is masked), with the "
                                   "Robo-Instruct paper's defaults. Runs on CPU for tiny runs, on a GPU when present. "
                                   "Settings: defaults < --config YAML < flags.")
    p.add_argument("--data", required=True, metavar="RUN_DIR|dataset.jsonl", help="a `roboinstruct generate` run or "
                   "a JSONL of {instruction, program} rows")
    p.add_argument("--base", default="qwen2.5-coder-0.5b", metavar="MODEL",
                   help="registry model (converted once from GGUF, cached), a .gguf file, or a Hugging Face model "
                        "folder (default: qwen2.5-coder-0.5b)")
    p.add_argument("--out", required=True, metavar="ADAPTER_DIR")
    p.add_argument("--config", help="YAML file of training settings (fields of FinetuneSettings)")
    p.add_argument("--merge", action="store_true", help="also write the merged model to ADAPTER_DIR/merged")
    p.set_defaults(func=run, flags=add_settings_flags(p, FinetuneSettings))


def require_training_stack() -> None:
    missing = [m for m in _NEEDS if importlib.util.find_spec(m) is None]
    if missing:
        raise UserError(f"fine-tuning needs {', '.join(missing)}: pip install 'roboinstruct[finetune]'")


def run(args) -> int:
    from ..finetune.settings import FinetuneSettings
    from ..settings import load_settings
    from .options import given

    settings = load_settings(FinetuneSettings, args.config, given(args, args.flags))
    require_training_stack()
    from ..finetune.train import finetune

    from .progress_lines import heartbeat

    with heartbeat() as lines:  # timestamped log lines, and a line at least every minute
        manifest = finetune(args.data, args.base, args.out, settings, merge=args.merge, log=lines.note)
    t = manifest["train"]
    print(f"adapter {manifest['fingerprint']}: {args.out} (dataset {manifest['dataset']['fingerprint']}, "
          f"{t['steps']} steps, final loss {t['loss_curve'][-1]['loss']:.4f})")
    return 0
