"""The main job's throughput: the same small `generate`, baseline settings vs optimized, same seed.

    python benchmarks/generate_throughput.py [--model qwen2.5-coder-1.5b] [--num 6] [--load niced|full]

Runs one after the other (never two models at once), each with a fresh response cache and a
fresh run directory, and prints pairs/hour, prompt tokens sent and evaluated, completion
tokens, decode speed, the ratio, and the quality figures side by side. `--load` keeps one
core busy with another process (niced, or at full priority) during both runs, as on a laptop. First it
prints the machine's decode limit: the bare model's tokens/s on a fixed prompt.

Baseline = how main ran before this benchmark existed: one instruction per request, InstAlign's free-text chain of
thought, the first prompt templates, llama.cpp threads = all cores, 2 slots. Optimized = the defaults (`--slots`
overrides theirs).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from roboinstruct.llm import ChatRequest
from roboinstruct.llm.local_backend import LocalBackend
from roboinstruct.llm.threads import available_cores
from roboinstruct.pipeline.config import load_config
from roboinstruct.pipeline.run import GenerationRun

SETTINGS = {
    "baseline": {"config": {"instalign_format": "text", "instructions_per_request": 1, "prompts": 1},
                 "backend": {"all_cores": True, "n_parallel": 2}},
    "optimized": {"config": {}, "backend": {}},
}


def decode_limit(model: str) -> float:
    """Tokens/s of the bare model writing 128 greedy tokens for a fixed prompt (no cache)."""
    req = ChatRequest(messages=[{"role": "user", "content": "Write a Python function that sorts a list of rooms "
                                 "by name and prints them, with a docstring."}], max_tokens=128)
    with LocalBackend(model, n_parallel=1, no_cache=True) as b:
        b.generate([ChatRequest(messages=[{"role": "user", "content": "hi"}], max_tokens=2)])
        (r,) = b.generate([req])
    if r.error:
        raise SystemExit(f"error: {r.error}")
    return r.usage.completion_tokens / r.latency_s


def one_run(label: str, model: str, num: int, seed: int, workdir: Path) -> dict:
    spec = SETTINGS[label]
    os.environ["ROBOINSTRUCT_CACHE_DIR"] = str(workdir / f"cache-{label}")  # fresh cache per run
    cfg = load_config(None, {"num": num, "seed": seed, "model": model, "out": str(workdir / label),
                             **spec["config"]})
    opts = dict(spec["backend"])
    threads = available_cores() if opts.pop("all_cores", False) else None  # None: the idle cores
    backend: dict = {}

    def factory(c):
        backend["b"] = LocalBackend(c.model, n_threads=threads, **opts)
        return backend["b"]

    run = GenerationRun(cfg, backend_factory=factory)
    t0 = time.perf_counter()
    try:
        manifest = run.run()
    finally:
        run.close()
    wall = time.perf_counter() - t0
    s = manifest["stats"]
    tok = s["tokens"]
    return {"label": label, "wall_s": round(wall, 1), "pairs": s["pairs"],
            "pairs_per_hour": round(s["pairs"] / wall * 3600, 1),
            "threads": backend["b"].server.n_threads if "b" in backend else None,
            "slots": backend["b"].parallelism if "b" in backend else None,
            "prompt_sent": tok["prompt"], "prompt_evaluated": tok.get("prompt_evaluated", tok["prompt"]),
            "completion": tok["completion"], "model_s": s["model_seconds"],
            "decode_tok_s": round(tok["completion"] / s["model_seconds"], 1) if s["model_seconds"] else 0.0,
            **s["quality"], "instalign": s["instalign"], "fingerprint": manifest["fingerprint"],
            "stages": manifest["notes"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="qwen2.5-coder-1.5b")
    ap.add_argument("--num", type=int, default=6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--load", choices=("niced", "full"), help="keep one core busy during the runs with another "
                    "process: niced (nice 10) or at full priority")
    ap.add_argument("--only", choices=list(SETTINGS), help="run one side only")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--slots", type=int, help="llama.cpp slots (parallel sequences) for the optimized run")
    args = ap.parse_args()
    if args.slots:
        SETTINGS["optimized"]["backend"]["n_parallel"] = args.slots

    nice = ["nice", "-n", "10"] if args.load == "niced" else []
    hog = subprocess.Popen([*nice, sys.executable, "-c", "while True: pass"]) if args.load else None
    try:
        print(f"machine: {available_cores()} cores{f' (one kept busy, {args.load})' if hog else ''}; model {args.model}; "
              f"num {args.num}; seed {args.seed}")
        limit = decode_limit(args.model)
        print(f"decode limit (bare model, 128 greedy tokens, optimized server): {limit:.1f} tok/s")
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            for label in ([args.only] if args.only else list(SETTINGS)):
                print(f"running {label} ...", flush=True)
                results.append(one_run(label, args.model, args.num, args.seed, Path(tmp)))
                print(json.dumps(results[-1]), flush=True)
    finally:
        if hog:
            hog.kill()
    cols = ["wall_s", "pairs", "pairs_per_hour", "threads", "slots", "prompt_sent", "prompt_evaluated", "completion",
            "model_s", "decode_tok_s", "first_sample_valid_rate", "solvable_rate", "instalign_parse_failure_rate"]
    print(f"\n{'':<30}" + "".join(f"{r['label']:>14}" for r in results))
    for c in cols:
        print(f"{c:<30}" + "".join(f"{r[c]!s:>14}" for r in results))
    if len(results) == 2 and results[0]["pairs_per_hour"]:
        print(f"{'ratio (pairs/hour)':<30}{results[1]['pairs_per_hour'] / results[0]['pairs_per_hour']:>28.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps({"decode_limit_tok_s": limit, "results": results,
                                               "load": args.load, "argv": sys.argv[1:]}, indent=2))


if __name__ == "__main__":
    main()
