"""A PEFT LoRA adapter → a llama.cpp LoRA GGUF, for fast scoring on CPU.

llama.cpp runs the base (the very GGUF the training base was dequantized from) with a LoRA
GGUF applied at load time: on 2 idle AVX512-BF16 cores ~26 tok/s vs ~16 for transformers +
PEFT in bf16 (benchmarks/adapter_scoring_speed.py: 1.4-1.6x), more on CPUs without bf16,
and it needs no torch at scoring time. The adapter format llama.cpp reads is small and stable:
general.type = "adapter", adapter.type = "lora", adapter.lora.alpha, and for every adapted
weight W two tensors "<gguf name of W>.lora_a" / ".lora_b". Tensor names come from the
gguf package's own HF→GGUF name map for the base's architecture, so any architecture
llama.cpp knows works without a table here.

Shapes need no transposing: numpy's (rows, cols) is ggml's (ne[1], ne[0]), so PEFT's
A (r × in) and B (out × r) land exactly where llama.cpp checks them against W (in, out).
llama.cpp scales by alpha / r, PEFT by lora_alpha / r (or / sqrt(r) with rsLoRA): the
alpha written is the one that gives PEFT's scale.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from ..errors import UserError

FILENAME = "adapter.gguf"
# HF model_type → llama.cpp architecture where the names differ.
_ARCH_ALIASES = {"mistral": "llama", "qwen2_moe": "qwen2moe", "gpt_bigcode": "starcoder"}
_PEFT_PREFIX = "base_model.model."


def _architecture(model_type: str):
    import gguf

    name = _ARCH_ALIASES.get(model_type, model_type)
    for arch, arch_name in gguf.MODEL_ARCH_NAMES.items():
        if arch_name == name:
            return arch, arch_name
    raise UserError(f"cannot export a LoRA for model type {model_type!r} to GGUF (llama.cpp has no such "
                    f"architecture); score it with the transformers engine instead (--engine transformers)")


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise UserError(f"{path}: cannot read ({e}); is this a complete adapter folder?") from None


def _scaling_alpha(cfg: dict) -> float:
    if cfg.get("use_dora"):
        raise UserError("DoRA adapters cannot be exported to llama.cpp; score with --engine transformers")
    if cfg.get("rank_pattern") or cfg.get("alpha_pattern"):
        raise UserError("adapters with per-layer rank/alpha patterns cannot be exported to llama.cpp (one alpha per "
                        "file); score with --engine transformers")
    if cfg.get("modules_to_save"):
        raise UserError(f"the adapter also trains whole modules {cfg['modules_to_save']}, which a llama.cpp LoRA "
                        f"cannot carry; score with --engine transformers")
    r, alpha = int(cfg["r"]), float(cfg["lora_alpha"])
    return alpha * math.sqrt(r) if cfg.get("use_rslora") else alpha


def export_adapter(adapter_dir: str | Path, base_config: str | Path, out: str | Path | None = None) -> Path:
    """Write ADAPTER/adapter.gguf (or `out`); returns its path. `base_config` is the base
    model's config.json (for the architecture and layer count)."""
    import gguf
    import numpy as np
    from safetensors.numpy import load_file

    adapter_dir = Path(adapter_dir)
    out = Path(out) if out else adapter_dir / FILENAME
    cfg = _read_json(adapter_dir / "adapter_config.json")
    base = _read_json(Path(base_config))
    arch, arch_name = _architecture(base.get("model_type", ""))
    alpha = _scaling_alpha(cfg)
    weights_file = adapter_dir / "adapter_model.safetensors"
    if not weights_file.is_file():
        raise UserError(f"{adapter_dir}: no adapter_model.safetensors (save adapters with safetensors)")
    tensors = load_file(str(weights_file))
    names = gguf.get_tensor_name_map(arch, int(base["num_hidden_layers"]))

    pairs: dict[str, dict[str, np.ndarray]] = {}
    for key, value in tensors.items():
        module, _, part = key.removeprefix(_PEFT_PREFIX).rpartition(".lora_")
        if part not in ("A.weight", "B.weight"):
            raise UserError(f"{weights_file}: unexpected tensor {key!r} (only LoRA A/B weights can be exported)")
        gguf_name = names.get_name(module + ".weight", try_suffixes=(".weight",))
        if gguf_name is None:
            raise UserError(f"{weights_file}: no llama.cpp tensor for {module!r} in architecture {arch_name}")
        pairs.setdefault(gguf_name, {})[part[0]] = value.astype(np.float32)

    tmp = out.with_name(f"{out.name}.tmp{os.getpid()}")
    writer = gguf.GGUFWriter(str(tmp), arch_name)
    try:
        writer.add_type(gguf.GGUFType.ADAPTER)
        writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, alpha)
        for name in sorted(pairs):
            ab = pairs[name]
            if set(ab) != {"A", "B"} or ab["A"].shape[0] != ab["B"].shape[1]:
                raise UserError(f"{weights_file}: LoRA pair for {name} is incomplete or mismatched")
            writer.add_tensor(name.removesuffix(".weight") + ".weight.lora_a", ab["A"])
            writer.add_tensor(name.removesuffix(".weight") + ".weight.lora_b", ab["B"])
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
    finally:
        writer.close()
    os.replace(tmp, out)  # never a half-written adapter.gguf that looks finished
    return out
