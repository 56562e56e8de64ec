"""`roboinstruct tabletop demos | train | eval`: oracle demonstrations → a pick-and-place policy → success rates."""

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
