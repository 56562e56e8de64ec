"""`roboinstruct tabletop demos`: oracle demonstrations recorded as a dataset (resumable)."""

from __future__ import annotations

from pathlib import Path

from ...errors import UserError
from .common import add_sources, add_verb, candidates, need_pybullet, settings


def register(verbs) -> None:
    from ...tabletop.learning.demos import DemoSettings

    def build(d):
        add_sources(d)
        d.add_argument("--out", required=True, help="output folder (re-run to resume)")

    add_verb(verbs, "demos", "record oracle demonstrations as a dataset (resumable)", run, DemoSettings, build=build)


def run(args) -> int:
    from ...artifacts import atomic_write
    from ...tabletop.learning import demos
    from ..progress import reporter

    need_pybullet()
    s = settings(args)
    cands = candidates(args)
    out = Path(args.out)
    with reporter(args.progress) as report:
        summary = demos.record(cands, s.episodes, s.seed, out, s.workers, s.keep_failed,
                               progress=report.counter("recording episodes", len(cands) * s.episodes))
    note = f"{summary['kept']} episodes kept, {summary['failed']} failed (not kept)"
    try:
        demos.build_dataset(out, summary["rows"])
    except ImportError:
        raise UserError('building the dataset needs Hugging Face datasets: pip install -e ".[test]" '
                        'or pip install datasets') from None
    gif = demos.write_gif(out, summary["rows"])
    tasks = sorted({r["task"] for r in summary["rows"] if r.get("task")})
    atomic_write(out / "README.md", demos.card(out, summary, tasks, gif))
    atomic_write(out / "summary.json", demos.summary_json(summary))
    print(f"{out}: {note}; dataset in {out / 'dataset'} (datasets.load_from_disk), card README.md"
          + (f", {gif.name}" if gif else ""))
    return 0
