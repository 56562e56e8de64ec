"""Training data: read a generation run, render each pair as (prompt, completion) tokens.

The prompt is exactly the evaluation-time task prompt in the chosen format
(`taskprompt.TaskPrompt`): by default the zero-shot chat prompt (system prompt with the
domain's API, instruction as the user turn) rendered by the model's own chat template with
the assistant header; or the few-shot chat prompt; or RoboEval's completion prefix with the
instruction and `def task_program():` — so what the model is trained to continue is what
`roboinstruct score --prompt-format` will show it. The completion is the program (fenced
for chat formats, the function body for RoboEval's) followed by the tokenizer's EOS: the
model learns to stop after the function instead of rambling on until max_tokens.

Prompt and completion are tokenized separately and concatenated, so the boundary is
exact (no guessing where the completion starts in a retokenized string), and the
prompt's labels are -100: the loss covers only what the model must write.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..artifacts import read_objects
from ..domain import builtin_domains
from ..errors import UserError
from ..taskprompt import TaskPrompt

IGNORE_INDEX = -100  # the label value PyTorch's cross-entropy (and HF models) skip


@dataclass
class TrainingData:
    pairs: list[tuple[str, str]]  # (instruction, program)
    path: Path  # the dataset.jsonl read
    sha256: str  # of that file's bytes
    fingerprint: str  # the generation run's fingerprint, or the file hash for a bare JSONL
    domain: str | None = None  # what load_domain() takes; None = the built-in default
    manifest: dict = field(default_factory=dict)  # the run's manifest.json, if there is one

    def lineage(self) -> dict:
        """What an adapter records about the data it was trained on."""
        return {"fingerprint": self.fingerprint, "path": str(self.path), "sha256": self.sha256,
                "rows": len(self.pairs), "run_kind": self.manifest.get("kind", "jsonl"),
                "mode": (self.manifest.get("config") or {}).get("mode")}


def load_training_data(ref: str | Path) -> TrainingData:
    """A generation run directory (dataset.jsonl + manifest.json) or any JSONL of
    {"instruction", "program"} rows. Bad input is one UserError line naming the spot."""
    path = Path(ref)
    if path.is_dir():
        path = path / "dataset.jsonl"
        if not path.is_file():
            raise UserError(f"{ref}: no dataset.jsonl in this directory; pass a `roboinstruct generate` run "
                            f"directory or a .jsonl file")
    elif not path.is_file():
        raise UserError(f"--data {ref}: no such file or directory")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UserError(f"cannot read {path}: {e.strerror}") from None
    pairs = []
    for n, row in read_objects(path):
        if not all(isinstance(row.get(k), str) and row[k].strip() for k in ("instruction", "program")):
            raise UserError(f"{path}:{n}: each row needs non-empty string fields 'instruction' and 'program'")
        pairs.append((row["instruction"].strip(), row["program"].strip("\n")))
    if not pairs:
        raise UserError(f"{path}: no training pairs (the file is empty)")
    sha = hashlib.sha256(raw).hexdigest()
    manifest = _read_manifest(path.parent / "manifest.json")
    if manifest and manifest.get("files", {}).get("dataset.jsonl") not in (None, sha):
        raise UserError(f"{path}: the file differs from the hash in {path.parent / 'manifest.json'}; "
                        f"it was edited after the run — re-run `roboinstruct generate` or pass a copy elsewhere")
    domain = (manifest.get("domain") or {}).get("source") or None
    name = (manifest.get("domain") or {}).get("name")
    if domain and (domain.startswith("<") or (not Path(domain).is_file() and name in builtin_domains())):
        # a built-in domain recorded by the path of the install that generated the data (another
        # machine, another checkout): this install's copy of it, by name
        domain = name
    return TrainingData(pairs, path.resolve(), sha, manifest.get("fingerprint") or f"file-{sha[:12]}",
                        domain, manifest)


def _read_manifest(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        raise UserError(f"{path}: unreadable manifest; fix or remove it") from None
    return data if isinstance(data, dict) else {}


def encode_pair(tokenizer, instruction: str, program: str, domain=None, max_len: int = 1024,
                prompt: TaskPrompt | None = None) -> dict | None:
    """{"input_ids", "labels"} for one pair, prompt labels masked; None when `max_len`
    leaves no completion token (training on it would teach nothing). `prompt` is the format
    scoring will use (default: the zero-shot chat prompt of `domain`)."""
    prompt = prompt or TaskPrompt("chat", domain)
    p_ids = tokenizer(prompt.prompt_text(tokenizer, instruction), add_special_tokens=False)["input_ids"]
    c_ids = tokenizer(prompt.target_text(program), add_special_tokens=False)["input_ids"]
    if tokenizer.eos_token_id is None:
        raise UserError("the base model's tokenizer has no EOS token; it cannot learn to stop")
    c_ids = list(c_ids) + [tokenizer.eos_token_id]
    ids = (list(p_ids) + c_ids)[:max_len]
    if len(p_ids) >= len(ids):
        return None
    labels = [IGNORE_INDEX] * len(p_ids) + ids[len(p_ids):]
    return {"input_ids": ids, "labels": labels, "prompt_tokens": len(p_ids)}


def encode_dataset(tokenizer, data: TrainingData, max_len: int,
                   prompt: TaskPrompt | None = None) -> tuple[list[dict], dict]:
    """Encoded rows plus counts: how many were cut short or dropped by `max_len`."""
    from ..domain import load_domain

    domain = load_domain(data.domain)
    rows, dropped, truncated, prompt_max = [], 0, 0, 0
    for instruction, program in data.pairs:
        row = encode_pair(tokenizer, instruction, program, domain, max_len, prompt)
        if row is None:
            dropped += 1
            continue
        prompt_max = max(prompt_max, row["prompt_tokens"])
        if row["input_ids"][-1] != tokenizer.eos_token_id:
            truncated += 1
        rows.append(row)
    if not rows:
        raise UserError(f"--max-len {max_len} is shorter than every prompt (the task prompt alone is "
                        f"hundreds of tokens); raise --max-len")
    stats = {"pairs": len(data.pairs), "encoded": len(rows), "dropped_too_long": dropped,
             "truncated": truncated, "longest_prompt_tokens": prompt_max,
             "longest_tokens": max(len(r["input_ids"]) for r in rows)}
    return rows, stats
