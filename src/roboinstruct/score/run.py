"""A scoring run: completions for every (task, prompt, sample), evaluated, summarized.

Like generation runs, a scoring run lives in a directory named by nothing but its
settings: OUT/completions.jsonl and OUT/evaluated.jsonl are append-only and fsynced row
by row, so a killed run resumes with nothing lost or done twice, and a directory that
holds another configuration is refused rather than silently mixed.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..artifacts import JsonlSink, claim_dir, fingerprint, read_finished
from ..core.kinds import open_suite
from ..errors import UserError
from ..settings import fingerprinted, option
from ..taskprompt import FORMATS, build_task_prompt
from .models import ENGINES

CHUNK = 8  # prompts per generation call: the unit of progress that a kill can lose


@dataclass
class ScoreConfig:
    model: str = option(None, "local:NAME|FILE.gguf, hf:DIR, adapter:DIR (from `roboinstruct finetune`), openai:MODEL")
    tasks: str = option("builtin", "builtin | roboeval:PATH | DIR of YAML tasks")
    n: int = option(20, "samples per prompt")
    temperature: float = option(0.2, "sampling temperature")
    greedy: bool = option(False, "one greedy sample per prompt (temperature 0)")
    limit: str | None = option(None, "the first N tasks (by name), or NAME,NAME,...")
    prompts: int | None = option(None, "only the first K prompts of each task (smoke runs)")
    max_tokens: int = option(512, "per completion")
    seed: int = option(0, "seed of every sample (sample i of a prompt: seed + crc(prompt) + i)")
    engine: str = option("auto", "adapters: llama.cpp (base GGUF + adapter.gguf, faster on CPU) or "
                                 "transformers+PEFT; auto = llama.cpp when the base came from a GGUF",
                         choices=ENGINES)
    prompt_format: str = option("chat", "chat (zero-shot, this project's format), fewshot (the domain's seed "
                                        "pairs as examples) or roboeval (RoboEval's own prompt files, unchanged)",
                                choices=FORMATS, legacy="chat")
    prompt_files: str | None = option(None, "roboeval: the RoboEval checkout holding code_generation/prompt_prefix.py "
                                            "(default: the --tasks roboeval:PATH checkout)", legacy=None)
    examples: str | None = option(None, "tabletop suites: a task dataset (DIR or dataset.jsonl of `tabletop dataset`) "
                                        "whose --shots tasks nearest each target are shown first (GenSim's few-shot "
                                        "prompt)", legacy=None)
    shots: int = option(3, "tabletop: how many --examples tasks each prompt shows", legacy=3)

    def validate(self) -> "ScoreConfig":
        if not self.model:
            raise UserError("--model is required: local:NAME|FILE.gguf, hf:DIR, adapter:DIR or openai:MODEL")
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


def _read(path: Path) -> dict[str, dict]:
    # a torn last line from a kill is skipped: that row is simply redone
    return {row["key"]: row for row in read_finished(path, "key")}


class ScoreRun:
    def __init__(self, cfg: ScoreConfig, out: str | Path, base_url: str | None = None, no_cache: bool = False,
                 workers: int | None = None, log=None):
        from .models import parse_model

        self.cfg, self.out, self.base_url, self.no_cache, self.workers = cfg.validate(), Path(out), base_url, \
            no_cache, workers
        self.log = log or (lambda m: print(m, file=sys.stderr))
        self.model = parse_model(cfg.model, cfg.engine)
        self.suite = open_suite(cfg.tasks)  # the spec is parsed here, once
        self.suite.check_model(self.model)
        tasks = self.suite.tasks
        self.task_names = select_tasks(tasks, cfg.limit)
        self.items = [(t, i, tasks[t].prompts[i]) for t in self.task_names
                      for i in range(min(len(tasks[t].prompts), cfg.prompts or 10**9))]
        self.prompt = build_task_prompt(self.suite.prompt_format or cfg.prompt_format, cfg.prompt_files, cfg.tasks,
                                        examples=cfg.examples, shots=cfg.shots)
        self.fingerprint = self._fingerprint()
        self.worked = False  # whether this invocation generated or evaluated anything
        self._claim_dir()

    def _fingerprint(self) -> str:
        # The resolved engine, not the request: `auto` today and `llama.cpp` tomorrow are one run.
        # The prompt by content (files by hash); the default chat format adds nothing, so runs
        # made before prompt formats existed keep their fingerprints.
        # the examples by content, in the prompt's identity below (not by path)
        config = {k: v for k, v in fingerprinted(self.cfg).items()
                  if k not in ("model", "engine", "prompt_files", "examples")}
        blob = {"config": config, "model": self.model.identity, "engine": self.model.engine,
                "tasks": [[t, i, p] for t, i, p in self.items]}
        if self.prompt.format != "chat":
            blob["prompt"] = self.prompt.identity()
        return fingerprint(blob)

    def _claim_dir(self) -> None:
        claim_dir(self.out, "score.json", self.fingerprint, {"config": asdict(self.cfg)},
                  "score run", only_runs=False)

    def completions(self) -> list[dict]:
        """Generate what is missing; return one row per (task, prompt, sample), in order."""
        path = self.out / "completions.jsonl"
        have = _read(path)
        todo = [(t, i, p) for t, i, p in self.items if f"{t}/{i}" not in have]
        self.worked = self.worked or bool(todo)
        if todo:
            from .models import open_generator

            self.log(f"generating {len(todo)} of {len(self.items)} prompts x {self.cfg.n} samples with "
                     f"{self.model.spec}")
            gen = open_generator(self.model, self.prompt, self.base_url, self.no_cache)
            started = time.time()
            try:
                with JsonlSink(path) as sink:
                    for start in range(0, len(todo), CHUNK):
                        chunk = todo[start:start + CHUNK]
                        keys = [f"{t}/{i}" for t, i, _ in chunk]
                        t0 = time.time()
                        texts = gen.generate([p for *_, p in chunk], keys, self.cfg.n, self.cfg.temperature,
                                             self.cfg.max_tokens, self.cfg.seed)
                        for k, (t, i, p), samples in zip(keys, chunk, texts):
                            row = {"key": k, "task": t, "prompt_index": i, "prompt": p, "samples": samples}
                            sink.write(row)
                            have[k] = row
                        done, spent = start + len(chunk), time.time() - started
                        left = spent / done * (len(todo) - done)
                        self.log(f"  {done}/{len(todo)} prompts ({time.time() - t0:.0f}s for the last {len(chunk)}"
                                 + (f", about {left / 60:.0f} min left)" if done < len(todo) else ")"))
            finally:
                gen.close()
        rows = []
        for t, i, _ in self.items:
            for s, text in enumerate(have[f"{t}/{i}"]["samples"][: self.cfg.n]):
                rows.append({"key": f"{t}/{i}/{s}", "task": t, "prompt_index": i, "sample": s,
                             "program": self.prompt.program(text)})
        return rows

    def evaluate(self, rows: list[dict]) -> list[dict]:
        path = self.out / "evaluated.jsonl"
        have = _read(path)
        todo = [r for r in rows if r["key"] not in have]
        self.worked = self.worked or bool(todo)
        if todo:
            sink = JsonlSink(path)

            def keep(_i, row):
                slim = {k: row[k] for k in ("key", "task", "prompt_index", "sample", "verdict") + (
                    ("stage",) if "stage" in row else ())}
                slim["message"] = row.get("message", "")
                sink.write(slim)
                have[slim["key"]] = slim

            self.log(f"evaluating {len(todo)} programs on {self.cfg.tasks}")
            with sink:
                self.suite.evaluate(todo, self.workers, keep)
        return [have[r["key"]] for r in rows]

    def run(self) -> dict:
        from .results import write_results

        started = time.time()
        rows = self.evaluate(self.completions())
        finished = _finished(self.out / "results.json", self.fingerprint)
        if finished is not None and not self.worked:
            # a run resumed after it finished: its results stand as written (their seconds and date
            # are the run's, not this no-op's)
            return finished
        return write_results(self.records(rows), time.time() - started)

    def records(self, rows: list[dict]):
        """The run's settings, model, selection and evaluated rows: what the outputs are built from."""
        from .results import ScoreRecords

        return ScoreRecords(self.out, self.cfg, self.fingerprint, self.model, self.task_names, len(self.items), rows)


def _finished(path: Path, fingerprint: str) -> dict | None:
    """The results a finished run of this fingerprint wrote, or None."""
    try:
        results = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return results if isinstance(results, dict) and results.get("fingerprint") == fingerprint else None
