"""`roboinstruct score` (a model → benchmark pass@1) and `roboinstruct compare RESULT...`."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("score", help="generate programs with a model for benchmark prompts and score them",
                       description="Completions use the same task prompt as training; they are cached in OUT, so "
                                   "re-running the same command resumes.")
    p.add_argument("--model", required=True, metavar="KIND:TARGET",
                   help="local:NAME|FILE.gguf, hf:DIR, adapter:DIR (from `roboinstruct finetune`), openai:MODEL")
    p.add_argument("--tasks", default="builtin", help="builtin | roboeval:PATH | DIR of YAML tasks (default builtin)")
    p.add_argument("--n", type=int, default=20, help="samples per prompt (default 20)")
    p.add_argument("--temperature", type=float, default=0.2, help="default 0.2")
    p.add_argument("--greedy", action="store_true", help="one greedy sample per prompt (temperature 0)")
    p.add_argument("--limit", metavar="TASKS", help="the first N tasks (by name), or NAME,NAME,...")
    p.add_argument("--prompts", type=int, metavar="K", help="only the first K prompts of each task")
    p.add_argument("--max-tokens", type=int, default=512, help="per completion (default 512)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--engine", default="auto", choices=("auto", "llama.cpp", "transformers"),
                   help="for adapter:: llama.cpp (base GGUF + adapter.gguf, faster on CPU) or transformers+PEFT; "
                        "auto = llama.cpp when the base came from a GGUF (default)")
    p.add_argument("--base-url", help="openai: server URL (env OPENAI_BASE_URL)")
    p.add_argument("--no-cache", action="store_true", help="bypass the LLM response cache (local/openai)")
    p.add_argument("--workers", type=int, help="sandbox workers for evaluation (default: cores)")
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(func=run_score)

    c = sub.add_parser("compare", help="print and plot several score results side by side")
    c.add_argument("results", nargs="+", metavar="RESULT", help="score --out directories or their results.json")
    c.add_argument("--html", default="compare.html", help="where to write the chart (default compare.html)")
    c.set_defaults(func=run_compare)


def run_score(args) -> int:
    from .results import INVALID
    from .run import ScoreConfig, ScoreRun

    cfg = ScoreConfig(model=args.model, tasks=args.tasks, n=args.n, temperature=args.temperature, greedy=args.greedy,
                      limit=args.limit, prompts=args.prompts, max_tokens=args.max_tokens, seed=args.seed,
                      engine=args.engine)
    run = ScoreRun(cfg, args.out, base_url=args.base_url, no_cache=args.no_cache, workers=args.workers)
    res = run.run()
    _print_table(["task", "pass@1"], [[t, f"{p:.3f}"] for t, p in sorted(res["per_task"].items())]
                 + [["overall", f"{res['pass@1']:.3f}"]], f"{res['label']} on {args.tasks}")
    b = res["breakdown"]
    print("errors: " + ", ".join(f"{v} {n}" for v, n in b.items()) +
          f"; invalid ({'+'.join(INVALID)}) {res['invalid_rate']:.1%}")
    lineage = {k: v for k, v in res["lineage"].items() if v not in (None, False)}
    print("lineage: " + ", ".join(f"{k}={v}" for k, v in lineage.items()))
    print(f"results: {Path(args.out) / 'results.json'} (+ report.html, manifest.json)")
    return 0


def run_compare(args) -> int:
    from .results import compare_table, load_results, write_compare_html

    results = [load_results(r) for r in args.results]
    cols, rows = compare_table(results)
    _print_table(cols, [[str(v) for v in row] for row in rows], "pass@1 side by side")
    print(f"chart: {write_compare_html(results, Path(args.html))}", file=sys.stderr)
    return 0


def _print_table(cols: list[str], rows: list[list[str]], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title)
    for i, c in enumerate(cols):
        t.add_column(c, justify="left" if i == 0 else "right")
    for row in rows:
        t.add_row(*row)
    Console(width=max(100, 18 * len(cols))).print(t)
