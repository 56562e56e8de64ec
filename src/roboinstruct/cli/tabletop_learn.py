"""`roboinstruct tabletop demos | train | eval`: oracle demonstrations → a pick-and-place policy → success
rates on held-out seeds. Training needs torch (the `finetune` extra, pinned CPU build)."""

from __future__ import annotations

from pathlib import Path

from ..errors import UserError


def register(verbs) -> None:
    d = verbs.add_parser("demos", help="record oracle demonstrations as a dataset (resumable)")
    src = d.add_mutually_exclusive_group(required=True)
    src.add_argument("--task", action="append", metavar="NAME|FILE", help="a library task or task file (repeatable)")
    src.add_argument("--library", metavar="DIR", help="every task file in a folder (e.g. a generate run's tasks/)")
    d.add_argument("--episodes", type=int, default=10, help="episodes per task (distinct seeds)")
    d.add_argument("--seed", type=int, default=0, help="run seed the episode seeds derive from")
    d.add_argument("--out", required=True, help="output folder (re-run to resume)")
    d.add_argument("--keep-failed", action="store_true", help="also keep episodes the oracle failed")
    d.add_argument("--workers", type=int, default=None, help="sandbox workers (default: cores)")
    d.set_defaults(func=run_demos)
    t = verbs.add_parser("train", help="train the pick-and-place policy on recorded demonstrations")
    t.add_argument("--data", action="append", required=True, metavar="DIR", help="a demos --out folder (repeatable)")
    t.add_argument("--out", required=True, help="policy folder")
    t.add_argument("--steps", type=int, default=400, help="optimizer steps (default 400)")
    t.add_argument("--batch", type=int, default=4)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--rotations", type=int, default=12, help="discrete place rotations (default 12)")
    t.add_argument("--episodes", type=int, default=None, help="use only the first N episodes of each task")
    t.add_argument("--seed", type=int, default=0)
    t.set_defaults(func=run_train)
    e = verbs.add_parser("eval", help="success rate of a trained policy on held-out seeds")
    e.add_argument("--policy", required=True, help="a `tabletop train` --out folder")
    esrc = e.add_mutually_exclusive_group(required=True)
    esrc.add_argument("--task", action="append", metavar="NAME|FILE")
    esrc.add_argument("--library", metavar="DIR")
    e.add_argument("--episodes", type=int, default=20, help="held-out episodes per task (default 20)")
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--workers", type=int, default=None)
    e.add_argument("--json", action="store_true", help="print results as JSON")
    e.set_defaults(func=run_eval)


def _candidates(args):
    from ..tabletop.sources import collect

    if args.library:
        return collect([args.library])
    return collect(args.task)


def run_demos(args) -> int:
    from rich.console import Console

    from ..artifacts import atomic_write
    from ..tabletop import demos
    from .progress import bar
    from .tabletop import _need_pybullet

    _need_pybullet()
    if args.episodes < 1:
        raise UserError("--episodes must be at least 1")
    cands = _candidates(args)
    out = Path(args.out)
    console = Console(stderr=True)
    with bar(console=console) as progress:
        tid = progress.add_task("recording episodes", total=len(cands) * args.episodes)
        summary = demos.record(cands, args.episodes, args.seed, out, args.workers, args.keep_failed,
                               progress=lambda: progress.advance(tid))
    progress_note = f"{summary['kept']} episodes kept, {summary['failed']} failed (not kept)"
    try:
        demos.build_dataset(out, summary["rows"])
    except ImportError:
        raise UserError('building the dataset needs Hugging Face datasets: pip install -e ".[test]" '
                        'or pip install datasets') from None
    gif = demos.write_gif(out, summary["rows"])
    tasks = sorted({r["task"] for r in summary["rows"] if r.get("task")})
    atomic_write(out / "README.md", demos.card(out, summary, tasks, gif))
    atomic_write(out / "summary.json", demos.summary_json(summary))
    print(f"{out}: {progress_note}; dataset in {out / 'dataset'} (datasets.load_from_disk), card README.md"
          + (f", {gif.name}" if gif else ""))
    return 0


def run_train(args) -> int:
    from rich.console import Console

    from ..tabletop.learn import TrainSettings, train
    from .progress import bar

    if args.steps < 0 or args.batch < 1 or args.rotations < 1:
        raise UserError("--steps must be >= 0, --batch and --rotations >= 1")
    settings = TrainSettings(steps=args.steps, batch=args.batch, lr=args.lr, seed=args.seed,
                             rotations=args.rotations, episodes=args.episodes)
    with bar(console=Console(stderr=True)) as progress:
        tid = progress.add_task("training", total=args.steps)
        manifest = train([Path(d) for d in args.data], Path(args.out), settings,
                         progress=lambda done, total, loss: progress.update(tid, completed=done,
                                                                             description=f"training (loss {loss:.3f})"))
    curve = manifest["loss_curve"]
    print(f"{args.out}: {manifest['steps_seen']} demonstration steps from {manifest['episodes_per_task']}; loss "
          f"{curve[0]['loss'] if curve else '-'} -> {curve[-1]['loss'] if curve else '-'} in {manifest['train_seconds']} s")
    return 0


def run_eval(args) -> int:
    import json

    from rich.console import Console
    from rich.table import Table

    from ..tabletop.learn import evaluate
    from .progress import bar
    from .tabletop import _need_pybullet

    _need_pybullet()
    if args.episodes < 1:
        raise UserError("--episodes must be at least 1")
    cands = _candidates(args)
    with bar(console=Console(stderr=True)) as progress:
        tid = progress.add_task("evaluating", total=len(cands) * args.episodes)
        results = evaluate(Path(args.policy), cands, args.episodes, args.seed, args.workers,
                           progress=lambda n: progress.advance(tid, n))
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
