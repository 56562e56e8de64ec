"""`roboinstruct generate` (the main job) and `roboinstruct report RUN_DIR`."""

from __future__ import annotations

import sys


def register(sub) -> None:
    from .pipeline.config import METHODS, MODES

    p = sub.add_parser("generate", help="generate a verified instruction->program dataset (the main job)",
                       description="Self-Instruct -> programs -> RoboSim rejection sampling -> InstAlign -> dataset. "
                                   "Re-running the same command into the same --out resumes.")
    p.add_argument("--config", help="YAML file of settings (CLI flags override it)")
    p.add_argument("--num", type=int, help="instruction->program pairs to aim for (default 20)")
    p.add_argument("--out", help="run directory (default runs/<fingerprint>)")
    p.add_argument("--seed", type=int)
    p.add_argument("--mode", choices=MODES, help="pipeline ablation (default robo-instruct)")
    p.add_argument("--method", choices=METHODS, help="instruction generation (default self-instruct)")
    p.add_argument("--domain", help="built-in domain or a domain YAML")
    p.add_argument("--seeds-file", dest="seeds_file", help="YAML of seed tasks (instruction + program)")
    p.add_argument("--max-resamples", dest="max_resamples", type=int, help="RoboSim resamples per instruction (default 3)")
    p.add_argument("--repair", action="store_true", default=None, help="show the counterexample when resampling")
    p.add_argument("--paths", type=int, help="RoboSim path budget per program (default 1000)")
    p.add_argument("--batch", type=int, help="instruction requests per round (default 8)")
    p.add_argument("--decontaminate", action="append", metavar="TASKS",
                   help="benchmark whose prompts new instructions must not resemble: builtin (default), "
                        "roboeval:PATH or a task directory; repeat for several")
    p.add_argument("--workers", type=int, help="sandbox worker processes for verification (default: cores)")
    p.add_argument("--executor", choices=("local", "ray"), help="where verification runs (default local)")
    g = p.add_argument_group("model backend")
    g.add_argument("--backend", help="local (embedded llama.cpp, default) or openai")
    g.add_argument("--model", help="local: model name or .gguf path; openai: served model name")
    g.add_argument("--base-url", dest="base_url", help="openai: server URL, e.g. http://127.0.0.1:8000/v1")
    g.add_argument("--concurrency", type=int, help="openai: max requests in flight (default 16)")
    g.add_argument("--timeout", type=float, help="seconds per model request")
    g.add_argument("--no-cache", dest="no_cache", action="store_true", default=None, help="bypass the response cache")
    p.set_defaults(func=run_generate)

    r = sub.add_parser("report", help="write report.html for a generation run directory")
    r.add_argument("run_dir")
    r.set_defaults(func=run_report)


_OVERRIDES = ("num", "out", "seed", "mode", "method", "domain", "seeds_file", "max_resamples", "repair", "paths",
              "decontaminate",
              "batch", "workers", "executor", "backend", "model", "base_url", "concurrency", "timeout", "no_cache")


def run_generate(args) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from .pipeline.config import load_config
    from .pipeline.run import GenerationRun

    cfg = load_config(args.config, {k: getattr(args, k) for k in _OVERRIDES})
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, disable=not console.is_terminal) as bar:
        tasks: dict[str, int] = {}

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        run = GenerationRun(cfg, progress=tick)
        console.print(f"run directory: {run.dir} (fingerprint {run.fingerprint})")
        try:
            manifest = run.run()
        finally:
            run.close()
    s = manifest["stats"]
    table = Table(title=f"roboinstruct generate: {cfg.mode} / {cfg.method}")
    table.add_column("stage")
    table.add_column("count", justify="right")
    for label, value in (("instructions generated", s["instructions_generated"]),
                         ("kept after dedup", s["instructions_kept"]),
                         ("programs sampled", s["programs_sampled"]),
                         ("programs valid (RoboSim)", s["programs_valid"]),
                         ("InstAlign revised chosen", s["instalign"]["revised_chosen"]),
                         ("pairs in dataset", s["pairs"])):
        table.add_row(label, str(value))
    Console().print(table)
    print(f"dataset: {run.dir / 'dataset.jsonl'} (+ dataset.parquet, README.md, manifest.json, report.html)")
    if s["pairs"] < cfg.num:
        print(f"note: {s['pairs']} of {cfg.num} pairs; raise --num or the round budget (max_rounds) for more",
              file=sys.stderr)
    return 0


def run_report(args) -> int:
    from .pipeline.report import write_report

    print(write_report(args.run_dir))
    return 0
