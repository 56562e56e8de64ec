"""A scoring run: completions for every (task, prompt, sample), evaluated, summarized.

Like generation runs, a scoring run lives in a directory named by nothing but its
settings: OUT/completions.jsonl and OUT/evaluated.jsonl are append-only and fsynced row
by row, so a killed run resumes with nothing lost or done twice, and a directory that
holds another configuration is refused rather than silently mixed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import UserError

CHUNK = 8  # prompts per generation call: the unit of progress that a kill can lose


@dataclass
class ScoreConfig:
    model: str
    tasks: str = "builtin"
    n: int = 20
    temperature: float = 0.2
    greedy: bool = False
    limit: str | None = None  # N (first N tasks by name) or NAME,NAME,...
    prompts: int | None = None  # first K prompts of each task (smoke runs)
    max_tokens: int = 512
    seed: int = 0
    engine: str = "auto"  # adapters: llama.cpp | transformers | auto (llama.cpp when the base is a GGUF)

    def validate(self) -> "ScoreConfig":
        if self.greedy:
            self.n, self.temperature = 1, 0.0
        if self.n < 1:
            raise UserError("--n must be at least 1")
        if not 0 <= self.temperature <= 2:
            raise UserError("--temperature must be in [0, 2]")
        if self.max_tokens < 1 or (self.prompts is not None and self.prompts < 1):
            raise UserError("--max-tokens and --prompts must be at least 1")
        return self


def select_tasks(suite: dict, limit: str | None) -> list[str]:
    names = sorted(suite)
    if not limit:
        return names
    if limit.isdigit():
        if int(limit) < 1:
            raise UserError("--limit must be at least 1")
        return names[: int(limit)]
    wanted = [t.strip() for t in limit.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in suite]
    if unknown:
        raise UserError(f"--limit: unknown task(s) {', '.join(unknown)}; this suite has: {', '.join(names)}")
    return wanted


def _append(path: Path, rows: list[dict]) -> None:
    with path.open("a") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _read(path: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn last line from a kill: that row is simply redone
            if isinstance(row, dict) and "key" in row:
                out[row["key"]] = row
        if path.stat().st_size and not path.read_bytes().endswith(b"\n"):
            with path.open("a") as f:
                f.write("\n")
    return out


class ScoreRun:
    def __init__(self, cfg: ScoreConfig, out: str | Path, base_url: str | None = None, no_cache: bool = False,
                 workers: int | None = None, log=None):
        from ..benchmark import load_tasks
        from .models import parse_model

        self.cfg, self.out, self.base_url, self.no_cache, self.workers = cfg.validate(), Path(out), base_url, \
            no_cache, workers
        self.log = log or (lambda m: print(m, file=sys.stderr))
        self.model = parse_model(cfg.model, cfg.engine)
        self.suite = load_tasks(cfg.tasks)
        self.task_names = select_tasks(self.suite, cfg.limit)
        self.items = [(t, i, self.suite[t].prompts[i]) for t in self.task_names
                      for i in range(min(len(self.suite[t].prompts), cfg.prompts or 10**9))]
        self.fingerprint = self._fingerprint()
        self._claim_dir()

    def _fingerprint(self) -> str:
        # The resolved engine, not the request: `auto` today and `llama.cpp` tomorrow are one run.
        config = {k: v for k, v in asdict(self.cfg).items() if k not in ("model", "engine")}
        blob = {"config": config, "model": self.model.identity, "engine": self.model.engine,
                "tasks": [[t, i, p] for t, i, p in self.items]}
        return hashlib.sha256(json.dumps(blob, sort_keys=True).encode()).hexdigest()[:12]

    def _claim_dir(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        marker = self.out / "score.json"
        if marker.exists():
            held = json.loads(marker.read_text()).get("fingerprint")
            if held != self.fingerprint:
                raise UserError(f"--out {self.out} holds score run {held} with other settings or another model "
                                f"(this one is {self.fingerprint}); choose another --out")
        else:
            marker.write_text(json.dumps({"fingerprint": self.fingerprint, "config": asdict(self.cfg)}, indent=2))

    def completions(self) -> list[dict]:
        """Generate what is missing; return one row per (task, prompt, sample), in order."""
        path = self.out / "completions.jsonl"
        have = _read(path)
        todo = [(t, i, p) for t, i, p in self.items if f"{t}/{i}" not in have]
        if todo:
            from .models import open_generator

            self.log(f"generating {len(todo)} of {len(self.items)} prompts x {self.cfg.n} samples with "
                     f"{self.model.spec}")
            gen = open_generator(self.model, self.base_url, self.no_cache)
            try:
                for start in range(0, len(todo), CHUNK):
                    chunk = todo[start:start + CHUNK]
                    keys = [f"{t}/{i}" for t, i, _ in chunk]
                    t0 = time.time()
                    texts = gen.generate([p for *_, p in chunk], keys, self.cfg.n, self.cfg.temperature,
                                         self.cfg.max_tokens, self.cfg.seed)
                    rows = [{"key": k, "task": t, "prompt_index": i, "prompt": p, "samples": s}
                            for k, (t, i, p), s in zip(keys, chunk, texts)]
                    _append(path, rows)
                    have.update({r["key"]: r for r in rows})
                    self.log(f"  {start + len(chunk)}/{len(todo)} prompts ({time.time() - t0:.0f}s)")
            finally:
                gen.close()
        rows = []
        for t, i, _ in self.items:
            for s, text in enumerate(have[f"{t}/{i}"]["samples"][: self.cfg.n]):
                rows.append({"key": f"{t}/{i}/{s}", "task": t, "prompt_index": i, "sample": s, "program": text})
        return rows

    def evaluate(self, rows: list[dict]) -> list[dict]:
        from ..benchmark import evaluate_programs

        path = self.out / "evaluated.jsonl"
        have = _read(path)
        todo = [r for r in rows if r["key"] not in have]
        if todo:
            def keep(_i, row):
                slim = {k: row[k] for k in ("key", "task", "prompt_index", "sample", "verdict")}
                slim["message"] = row.get("message", "")
                _append(path, [slim])
                have[slim["key"]] = slim

            self.log(f"evaluating {len(todo)} programs on {self.cfg.tasks}")
            evaluate_programs(todo, self.cfg.tasks, workers=self.workers, on_result=keep)
        return [have[r["key"]] for r in rows]

    def run(self) -> dict:
        from .results import write_results

        started = time.time()
        rows = self.evaluate(self.completions())
        return write_results(self, rows, time.time() - started)
