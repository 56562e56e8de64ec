"""`roboinstruct tabletop eval`: a trained policy's success rate on held-out seeds."""

from __future__ import annotations

from pathlib import Path

from .common import add_sources, add_verb, candidates, need_pybullet, settings


def register(verbs) -> None:
    from ...tabletop.learning.evaluate import EvalSettings

    def build(e):
        e.add_argument("--policy", required=True, help="a `tabletop train` --out folder")
        add_sources(e)

    add_verb(verbs, "eval", "success rate of a trained policy on held-out seeds", run, EvalSettings,
             "print results as JSON", build)


def run(args) -> int:
    import json

    from rich.console import Console
    from rich.table import Table

    from ...tabletop.learning.evaluate import evaluate
    from ..progress import reporter

    need_pybullet()
    s = settings(args)
    cands = candidates(args)
    with reporter(args.progress) as report:
        results = evaluate(Path(args.policy), cands, s.episodes, s.seed, s.workers,
                           progress=report.counter("evaluating (episodes)", len(cands) * s.episodes))
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    table = Table(title=f"Policy {args.policy} on held-out seeds")
    for col in ("task", "success", "rate", "95% CI"):
        table.add_column(col)
    for r in results:
        table.add_row(r["task"], f"{r['success']}/{r['episodes']}", f"{r['rate']:.2f}",
                      f"{r['ci95'][0]:.2f}-{r['ci95'][1]:.2f}")
    Console().print(table)
    return 0
