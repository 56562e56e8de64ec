"""`roboinstruct tabletop validate`: verdicts for task files on K distinct seeds.

A conformance checker too: `--gensim PATH` reads a GenSim checkout unchanged and reports one
verdict per file. `--json` output holds no timings, so the same command twice prints
byte-identical JSON.
"""

from __future__ import annotations

import json

from ...errors import RunFailed
from .common import add_verb, need_pybullet, settings, validate, verdict_table


def register(verbs) -> None:
    from ...tabletop.validate.settings import ValidateSettings

    def build(v):
        v.add_argument("paths", nargs="*", metavar="FILE|DIR|NAME",
                       help="task files, folders, or base-library task names")
        v.add_argument("--gensim", metavar="PATH", help="also validate a GenSim checkout's task files, unchanged")
        v.add_argument("--library", action="store_true", help="validate the whole base library")

    add_verb(verbs, "validate", "validate task files on K distinct seeds", run, ValidateSettings,
             "print verdicts as JSON (deterministic: no timings)", build)


def run(args) -> int:
    need_pybullet()
    s = settings(args)
    from ...tabletop.tasks.sources import collect, library

    paths = list(args.paths) + (sorted(library()) if args.library else [])
    verdicts = validate(collect(paths, args.gensim), s, args.progress)
    if args.json:
        print(json.dumps([v.to_dict() for v in verdicts], indent=2, sort_keys=True))
    else:
        verdict_table(verdicts, f"Tabletop task verdicts ({s.seeds} seeds each, τ={s.tau})")
    failed = sum(not v.ok for v in verdicts)
    if failed:
        raise RunFailed(f"{failed} of {len(verdicts)} tasks did not pass")
    return 0
