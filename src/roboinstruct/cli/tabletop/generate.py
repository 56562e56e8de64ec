"""`roboinstruct tabletop generate`: GenSim's loop — grow a task library with the model."""

from __future__ import annotations


def register(verbs) -> None:
    from ...gensim.config import GensimConfig
    from ..options import add_settings_flags
    from .common import add_progress_flags

    g = verbs.add_parser("generate", help="grow the task library with a model (GenSim's loop)",
                         description="propose -> code -> validate (K seeds) -> repair -> critic -> library. Settings: "
                                     "defaults < --config YAML < flags. Re-running into the same --out resumes.")
    g.add_argument("--config", help="YAML file of settings (any field of GensimConfig; flags override it)")
    g.set_defaults(func=run, flags=add_settings_flags(g, GensimConfig))
    add_progress_flags(g)


def run(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from ...gensim.config import load_config
    from ...gensim.loop import GensimRun
    from ..options import given
    from ..progress import reporter
    from .common import need_pybullet

    need_pybullet()
    cfg = load_config(args.config, given(args, args.flags)).validate()
    console = Console(stderr=True)
    with reporter(args.progress, console=console) as report:
        run_ = GensimRun(cfg, progress=report.tick)
        report.note(f"run directory: {run_.dir} (fingerprint {run_.fingerprint})")
        try:
            manifest = run_.run()
        finally:
            run_.close()
    s = manifest["stats"]
    table = Table(title=f"roboinstruct tabletop generate: {cfg.mode}")
    table.add_column("trial")
    table.add_column("task")
    table.add_column("outcome")
    for t in range(cfg.trials):
        rec = run_.trials.get(t)
        if rec:
            table.add_row(str(t), rec.get("name", ""), rec["status"] if rec["status"] != "rejected"
                          else f"rejected at {rec['stage']}: {rec['reason'][:120]}")
    Console().print(table)
    acc = s["accepted"]
    print(f"accepted {acc['k']} of {acc['n']} trials; library: {run_.dir / 'library.jsonl'} "
          f"(+ tasks/, dataset.jsonl, dataset.parquet, README.md, manifest.json, report.html)")
    return 0
