"""`roboinstruct tabletop dataset`: a GenSim checkout's accepted tasks as a fine-tuning dataset.

The tasks too close to GenSim's fine-tuning targets are held out first (by content:
`tabletop.tasks.split`), the rest validated unchanged in GenSim's dialect; OUT gets dataset.jsonl
(what `roboinstruct finetune --data OUT` reads), split.json and manifest.json. Built from the
user's checkout at run time; nothing of it is part of this project.
"""

from __future__ import annotations

from pathlib import Path

from .common import add_verb, need_pybullet, settings, validate


def register(verbs) -> None:
    from ...tabletop.tasks.gensim_dataset import DatasetSettings

    def build(d):
        d.add_argument("--gensim", required=True, metavar="PATH", help="the root of a GenSim checkout")
        d.add_argument("--out", required=True, metavar="DIR", help="output folder (dataset.jsonl, split.json, "
                                                                   "manifest.json)")

    add_verb(verbs, "dataset", "a GenSim checkout's accepted tasks as a fine-tuning dataset (targets held out)",
             run, DatasetSettings, build=build)


def run(args) -> int:
    from ...tabletop.tasks.gensim_dataset import build

    need_pybullet()
    s = settings(args)
    manifest = build(args.gensim, args.out, s, validator=lambda cands: validate(cands, s, args.progress))
    c = manifest["counts"]
    rule = "GenSim's rule" if manifest["rule"] == "gensim" else "the strict verdict"
    print(f"{Path(args.out) / 'dataset.jsonl'}: {c['accepted']} tasks accepted under {rule} "
          f"({c['rejected']} rejected) of {c['files']} checkout files; {c['held_out']} held out as too close to "
          f"GenSim's fine-tuning targets (similarity >= {s.heldout_threshold}; split.json)")
    return 0
