"""`roboinstruct score`: a model → benchmark pass@1, error breakdown, lineage."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    from ..score.run import ScoreConfig
    from .options import add_settings_flags

    p = sub.add_parser("score", help="generate programs with a model for benchmark prompts and score them",
                       description="Completions use the same task prompt as training; they are cached in OUT, so "
                                   "re-running the same command resumes. Settings: defaults < --config YAML < flags.")
    p.add_argument("--config", help="YAML file of score settings (fields of ScoreConfig)")
    p.add_argument("--base-url", help="openai: server URL (env OPENAI_BASE_URL)")
    p.add_argument("--no-cache", action="store_true", help="bypass the LLM response cache (local/openai)")
    p.add_argument("--workers", type=int, help="sandbox workers for evaluation (default: cores)")
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(func=run, flags=add_settings_flags(p, ScoreConfig))


def run(args) -> int:
    from ..score.results import INVALID
    from ..score.run import ScoreConfig, ScoreRun
    from ..settings import load_settings
    from .options import given

    from .progress_lines import heartbeat

    cfg = load_settings(ScoreConfig, args.config, given(args, args.flags))
    with heartbeat() as lines:  # timestamped log lines, and a line at least every minute
        score_run = ScoreRun(cfg, args.out, base_url=args.base_url, no_cache=args.no_cache, workers=args.workers,
                             log=lines.note)
        res = score_run.run()
    print_table(["task", "pass@1"], [[t, f"{p:.3f}"] for t, p in sorted(res["per_task"].items())]
                 + [["overall", f"{res['pass@1']:.3f}"],
                    ["95% interval", "[{:.3f}, {:.3f}]".format(*res["pass@1_ci95"])]],
                f"{res['label']} on {cfg.tasks} ({cfg.prompt_format} prompt)")
    print(f"interval: {res['ci_method']}")
    b = res["breakdown"]
    print("errors: " + ", ".join(f"{v} {n}" for v, n in b.items()) +
          f"; invalid ({'+'.join(INVALID)}) {res['invalid_rate']:.1%}")
    lineage = {k: v for k, v in res["lineage"].items() if v not in (None, False)}
    print("lineage: " + ", ".join(f"{k}={v}" for k, v in lineage.items()))
    print(f"results: {Path(args.out) / 'results.json'} (+ report.html, manifest.json)")
    return 0


def print_table(cols: list[str], rows: list[list[str]], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title)
    for i, c in enumerate(cols):
        t.add_column(c, justify="left" if i == 0 else "right")
    for row in rows:
        t.add_row(*row)
    Console(width=max(100, 18 * len(cols))).print(t)
