"""Completions from a Hugging Face model folder or a LoRA adapter, with transformers.

The prompt is rendered exactly as in training (`taskprompt.render_prompt` over
`taskprompt.program_messages`), so a fine-tuned model is scored on the format it
learned. Each prompt's samples are seeded from (seed, prompt key), not from the order
of the run, so a resumed run draws the same samples it would have drawn uninterrupted.
Runs on the GPU when there is one; on CPU it is slower than llama.cpp (~16 tok/s for
0.5B on 2 idle bf16-capable cores, far less on a loaded machine): adapters with a GGUF
base default to llama.cpp (`--engine auto`).
"""

from __future__ import annotations

import zlib
from pathlib import Path

from ..taskprompt import TaskPrompt


def _device_and_dtype():
    import torch

    if torch.cuda.is_available():
        return "cuda", (torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16)
    # bf16: half the memory traffic, and CPUs with AVX512-BF16/AMX run it natively (this one does)
    return "cpu", torch.bfloat16


class HFGenerator:
    """generate(instructions, keys, n, temperature, max_tokens, seed) -> texts per instruction."""

    def __init__(self, model_dir: str | Path, adapter_dir: str | Path | None = None, domain=None, prompt=None):
        import torch  # noqa: F401 - fail here, with the import error, not mid-run
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from ..domain import load_domain

        self.device, dtype = _device_and_dtype()
        self.domain = load_domain(domain)
        self.prompt = prompt or TaskPrompt("chat", self.domain)
        self.tokenizer = AutoTokenizer.from_pretrained(str(adapter_dir or model_dir))
        model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=dtype)
        if adapter_dir is not None:
            from peft import PeftModel

            # Folded into the weights for inference: same outputs, no per-layer LoRA matmuls.
            model = PeftModel.from_pretrained(model, str(adapter_dir)).merge_and_unload()
        self.model = model.to(self.device).eval()
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token

    def _stop_ids(self) -> list[int]:
        ids = self.model.generation_config.eos_token_id
        ids = [ids] if isinstance(ids, int) else list(ids or [])
        if self.tokenizer.eos_token_id is not None and self.tokenizer.eos_token_id not in ids:
            ids.append(self.tokenizer.eos_token_id)  # the token fine-tuning taught it to stop with
        return ids

    def generate(self, instructions: list[str], keys: list[str], n: int, temperature: float, max_tokens: int,
                 seed: int) -> list[list[str]]:
        import torch

        out = []
        for instruction, key in zip(instructions, keys):
            text = self.prompt.prompt_text(self.tokenizer, instruction)
            enc = self.tokenizer(text, return_tensors="pt", add_special_tokens=False).to(self.device)
            sample = temperature > 0
            torch.manual_seed(seed + zlib.crc32(key.encode()))
            with torch.no_grad():
                gen = self.model.generate(**enc, max_new_tokens=max_tokens, do_sample=sample,
                                          temperature=temperature if sample else None, top_p=1.0 if sample else None,
                                          top_k=0 if sample else None,
                                          num_return_sequences=n if sample else 1, eos_token_id=self._stop_ids(),
                                          pad_token_id=self.tokenizer.pad_token_id)
            texts = [self.tokenizer.decode(g[enc["input_ids"].shape[1]:], skip_special_tokens=True) for g in gen]
            out.append(texts if sample else texts * n)  # greedy: n identical samples, computed once
        return out

    def close(self) -> None:
        self.model = None
