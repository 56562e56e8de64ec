"""Scoring a LoRA adapter: llama.cpp (base GGUF + adapter.gguf) vs transformers + PEFT.

Both engines generate greedy completions for the same benchmark prompts with the same
adapter; the baseline is transformers + PEFT on the bf16 base (what `score` used before
adapters were exported to GGUF), run in the same process. Prints tokens/s, seconds per
prompt and the speed-up, and whether the two engines wrote the same programs.

    python benchmarks/adapter_scoring_speed.py --adapter ADAPTER_DIR [--prompts 4 --max-tokens 96]

Without --adapter, a random (non-identity) LoRA on the 0.5B base is made for the run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def random_adapter(base_dir: Path, out: Path) -> Path:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(str(base_dir), dtype=torch.bfloat16)
    cfg = LoraConfig(r=16, lora_alpha=2, init_lora_weights=False,
                     target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    get_peft_model(model, cfg).save_pretrained(str(out))
    return out


def timed(generator, prompts: list[str], max_tokens: int) -> tuple[list[str], float]:
    keys = [f"bench/{i}" for i in range(len(prompts))]
    generator.generate(prompts[:1], keys[:1], 1, 0.0, 4, 0)  # load + warm up outside the clock
    t0 = time.perf_counter()
    texts = [t[0] for t in generator.generate(prompts, keys, 1, 0.0, max_tokens, 0)]
    return texts, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--adapter", help="an adapter folder from `roboinstruct finetune` (default: a random LoRA)")
    ap.add_argument("--prompts", type=int, default=4)
    ap.add_argument("--max-tokens", type=int, default=96)
    args = ap.parse_args()

    from roboinstruct.benchmark import load_tasks
    from roboinstruct.finetune.base import resolve_base
    from roboinstruct.finetune.export_gguf import export_adapter
    from roboinstruct.score.hf_generate import HFGenerator
    from roboinstruct.score.models import BackendGenerator, parse_model

    base = resolve_base("qwen2.5-coder-0.5b")
    tmp = tempfile.TemporaryDirectory()
    adapter = Path(args.adapter) if args.adapter else random_adapter(base.path, Path(tmp.name) / "adapter")
    gguf = adapter / "adapter.gguf"
    if not gguf.is_file():
        export_adapter(adapter, base.path / "config.json", gguf)
    suite = load_tasks("builtin")
    prompts = [suite[name].prompts[0] for name in sorted(suite)][: args.prompts]

    hf = HFGenerator(base.path, adapter)
    hf_texts, hf_s = timed(hf, prompts, args.max_tokens)
    hf.close()
    ref = parse_model("local:qwen2.5-coder-0.5b")
    llama = BackendGenerator(ref, None, no_cache=True, model="qwen2.5-coder-0.5b", lora=str(gguf))
    ll_texts, ll_s = timed(llama, prompts, args.max_tokens)
    llama.close()

    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(base.path))
    hf_tokens = sum(len(tok(t, add_special_tokens=False)["input_ids"]) for t in hf_texts)
    ll_tokens = sum(len(tok(t, add_special_tokens=False)["input_ids"]) for t in ll_texts)
    same = sum(a.strip() == b.strip() for a, b in zip(hf_texts, ll_texts))
    print(f"{len(prompts)} prompts, greedy, <= {args.max_tokens} tokens each, adapter {adapter}")
    print(f"  transformers+PEFT (baseline): {hf_s:7.1f} s  {hf_tokens / hf_s:6.2f} tok/s  {hf_s / len(prompts):6.1f} s/prompt")
    print(f"  llama.cpp + adapter.gguf    : {ll_s:7.1f} s  {ll_tokens / ll_s:6.2f} tok/s  {ll_s / len(prompts):6.1f} s/prompt")
    print(f"  speed-up (prompt time ratio): {hf_s / ll_s:.1f}x; identical completions: {same}/{len(prompts)}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
