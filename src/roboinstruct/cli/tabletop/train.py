"""`roboinstruct tabletop train`: the pick-and-place policy trained on recorded demonstrations
(needs torch: the `finetune` extra, pinned CPU build)."""

from __future__ import annotations

from pathlib import Path

from .common import add_verb, settings


def register(verbs) -> None:
    from ...tabletop.learning.train import TrainSettings

    def build(t):
        t.add_argument("--data", action="append", required=True, metavar="DIR",
                       help="a demos --out folder (repeatable)")
        t.add_argument("--out", required=True, help="policy folder")

    add_verb(verbs, "train", "train the pick-and-place policy on recorded demonstrations", run, TrainSettings,
             build=build)


def run(args) -> int:
    from ...tabletop.learning.train import train
    from ..progress import reporter

    s = settings(args)
    with reporter(args.progress) as report:
        manifest = train([Path(d) for d in args.data], Path(args.out), s,
                         progress=lambda done, total, loss: report.tick("training (steps)", done, total))
    curve = manifest["loss_curve"]
    print(f"{args.out}: {manifest['steps_seen']} demonstration steps from {manifest['episodes_per_task']}; loss "
          f"{curve[0]['loss'] if curve else '-'} -> {curve[-1]['loss'] if curve else '-'} in {manifest['train_seconds']} s")
    return 0
