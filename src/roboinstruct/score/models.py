"""What `--model` names: `local:NAME|PATH.gguf`, `openai:MODEL`, `hf:DIR`, `adapter:DIR`.

An adapter runs on one of two engines: llama.cpp (the base GGUF it was trained from plus
its adapter.gguf; ~26 tok/s on 2 idle cores) or transformers + PEFT (exact training-time
weights; ~16 tok/s there). `auto` picks llama.cpp whenever the base came from a GGUF. The
engine is part of the score's fingerprint: the two differ in arithmetic and in how
sampling draws random numbers, so their completions are not interchangeable.

Each resolves to a content identity (GGUF sha256, adapter fingerprint, folder hash, or
the served model name — all an HTTP server lets us know) and, for a fine-tuned model,
its lineage: the adapter's fingerprint and the dataset run it was trained on. These go
into the score's fingerprint and results, so a number traces back to its data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError

KINDS = ("local", "openai", "hf", "adapter")
ENGINES = ("auto", "llama.cpp", "transformers")


@dataclass
class ModelRef:
    spec: str  # as given
    kind: str
    target: str  # name, path or served model
    identity: str = ""
    lineage: dict = field(default_factory=dict)  # adapter / dataset fingerprints for fine-tuned models
    base_dir: str | None = None  # hf/adapter: the folder with the base weights
    base_gguf: str | None = None  # adapter: the registry name / .gguf its base was converted from
    engine: str = ""  # what generates: llama.cpp | transformers | server

    def describe(self) -> dict:
        return {"spec": self.spec, "kind": self.kind, "target": self.target, "identity": self.identity,
                "engine": self.engine}


def parse_model(spec: str, engine: str = "auto") -> ModelRef:
    kind, sep, target = spec.partition(":")
    if not sep or kind not in KINDS or not target:
        raise UserError(f"--model {spec!r}: write KIND:TARGET with KIND one of {', '.join(KINDS)} "
                        f"(e.g. local:qwen2.5-coder-0.5b, adapter:adapters/run1, hf:path/to/model, openai:gpt-4o)")
    if engine not in ENGINES:
        raise UserError(f"--engine {engine!r}: use one of {', '.join(ENGINES)}")
    ref = ModelRef(spec, kind, target)
    if kind == "local":
        from ..llm.models import resolve_model
        from ..llm.types import LLMError

        try:
            ref.identity = "gguf-sha256:" + resolve_model(target).sha256
        except LLMError as e:
            raise UserError(str(e)) from None
    elif kind == "openai":
        ref.identity = f"served:{target}"
    elif kind == "hf":
        _resolve_hf(ref)
    else:
        _resolve_adapter(ref)
    ref.engine = _choose_engine(ref, engine)
    return ref


def _choose_engine(ref: ModelRef, asked: str) -> str:
    natural = {"local": "llama.cpp", "openai": "server", "hf": "transformers"}.get(ref.kind)
    if natural is not None:
        if asked not in ("auto", natural):
            how = (" (convert the folder with llama.cpp's convert_hf_to_gguf.py and score local:FILE.gguf)"
                   if ref.kind == "hf" else "")
            raise UserError(f"--engine {asked} does not apply to --model {ref.spec} (it runs on {natural}){how}")
        return natural
    if asked == "llama.cpp" and ref.base_gguf is None:
        raise UserError(f"--model {ref.spec}: its base is a Hugging Face folder, not a GGUF, so llama.cpp cannot "
                        f"run it; use --engine transformers (or auto)")
    return "llama.cpp" if asked != "transformers" and ref.base_gguf is not None else "transformers"


def _folder_hash(path: Path, patterns=("config.json", "*.safetensors", "adapter_config.json")) -> str:
    h = hashlib.sha256()
    for pattern in patterns:
        for p in sorted(path.glob(pattern)):
            h.update(p.name.encode())
            h.update(p.read_bytes() if p.suffix == ".json" else str(p.stat().st_size).encode())
    return h.hexdigest()[:16]


def _resolve_hf(ref: ModelRef) -> None:
    path = Path(ref.target).expanduser()
    if not (path / "config.json").is_file():
        raise UserError(f"--model hf:{ref.target}: not a Hugging Face model folder (no config.json)")
    ref.base_dir = str(path.resolve())
    ref.identity = "hf-folder:" + _folder_hash(path)
    from ..core.manifests import read_adapter_manifest

    parent = read_adapter_manifest(path.parent)  # `finetune --merge` writes ADAPTER/merged
    if parent and path.name == "merged":
        ref.lineage = _lineage(parent, merged=True)


def _lineage(manifest: dict, merged: bool = False) -> dict:
    return {"adapter_fingerprint": manifest["fingerprint"], "merged": merged,
            "dataset_fingerprint": (manifest.get("dataset") or {}).get("fingerprint"),
            "dataset_sha256": (manifest.get("dataset") or {}).get("sha256"),
            "base": (manifest.get("base") or {}).get("identity")}


def _resolve_adapter(ref: ModelRef) -> None:
    from ..core.manifests import read_adapter_manifest

    path = Path(ref.target).expanduser()
    if not (path / "adapter_config.json").is_file():
        raise UserError(f"--model adapter:{ref.target}: not a LoRA adapter folder (no adapter_config.json)")
    manifest = read_adapter_manifest(path)
    if manifest:
        ref.identity = f"adapter:{manifest['fingerprint']}"
        ref.lineage = _lineage(manifest)
        if manifest["base"].get("source") in ("registry", "gguf"):
            ref.base_gguf = manifest["base"]["name"]
        base = Path(manifest["base"]["path"])
        if not (base / "config.json").is_file():  # another machine: convert/resolve the base again
            from ..finetune.base import resolve_base

            base = resolve_base(manifest["base"]["name"]).path
    else:  # a PEFT adapter from elsewhere: trust its own config for the base
        try:
            cfg = json.loads((path / "adapter_config.json").read_text())
        except ValueError:
            raise UserError(f"{path / 'adapter_config.json'}: not valid JSON") from None
        base = Path(cfg.get("base_model_name_or_path") or "")
        if not (base / "config.json").is_file():
            raise UserError(f"adapter {path}: its base model {str(base)!r} is not a local folder")
        ref.identity = "adapter-folder:" + _folder_hash(path)
    ref.base_dir = str(base)


def open_generator(ref: ModelRef, prompt=None, base_url: str | None = None, no_cache: bool = False):
    """An object with generate(instructions, keys, n, temperature, max_tokens, seed) and close(),
    asking in the `prompt` format (a taskprompt.TaskPrompt; default: the zero-shot chat prompt)."""
    from ..taskprompt import TaskPrompt

    prompt = prompt or TaskPrompt()
    if ref.engine == "transformers":
        from .hf_generate import HFGenerator

        return HFGenerator(ref.base_dir, ref.target if ref.kind == "adapter" else None, prompt=prompt)
    if ref.kind == "adapter":
        return BackendGenerator(ref, prompt, None, no_cache, model=ref.base_gguf, lora=adapter_gguf(ref))
    return BackendGenerator(ref, prompt, base_url, no_cache)


def adapter_gguf(ref: ModelRef) -> str:
    """The adapter's llama.cpp file, exported now if the adapter predates the export or
    came from elsewhere (seconds; written atomically next to the PEFT weights)."""
    from ..finetune.export_gguf import FILENAME, export_adapter

    path = Path(ref.target).expanduser() / FILENAME
    if not path.is_file():
        export_adapter(path.parent, Path(ref.base_dir) / "config.json")
    return str(path)


class BackendGenerator:
    """The LLM layer's backends (embedded llama.cpp or an OpenAI-compatible server)."""

    def __init__(self, ref: ModelRef, prompt, base_url: str | None, no_cache: bool, model: str | None = None,
                 lora: str | None = None):
        self.prompt = prompt
        from ..llm.registry import get_backend
        from ..llm.types import LLMError

        kind = "local" if lora else ref.kind
        cfg: dict = {"model": model or ref.target, "no_cache": no_cache}
        if lora:
            cfg["lora"] = lora
        if kind == "local" and getattr(prompt, "context_tokens", 4096) > 4096:
            cfg["ctx_per_slot"] = prompt.context_tokens  # e.g. few-shot task files before the answer
        if ref.kind == "openai" and base_url:
            cfg["base_url"] = base_url
        try:
            self.backend = get_backend(kind, **cfg)
        except LLMError as e:
            raise UserError(str(e)) from None

    def generate(self, instructions, keys, n, temperature, max_tokens, seed) -> list[list[str]]:
        # With a seed every sample is reproducible and cached by the LLM layer (sample i: seed + i).
        reqs = [self.prompt.request(i, n=n, temperature=temperature, max_tokens=max_tokens, seed=seed + _crc(k))
                for i, k in zip(instructions, keys)]
        out = []
        for resp in self.backend.generate(reqs):
            if resp.error:  # recorded as an empty answer, which evaluates as a PythonError
                out.append([f"# request failed: {resp.error}"] * n)
            else:
                out.append(list(resp.texts) + [resp.texts[-1]] * (n - len(resp.texts)))
        return out

    def close(self) -> None:
        self.backend.close()


def _crc(key: str) -> int:
    import zlib

    return zlib.crc32(key.encode()) % 100_000
