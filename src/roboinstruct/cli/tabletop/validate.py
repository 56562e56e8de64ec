"""`roboinstruct tabletop validate`: verdicts for task files on K distinct seeds.

A conformance checker too: `--gensim PATH` reads a GenSim checkout unchanged and reports one
verdict per file. `--json` output holds no timings, so the same command twice prints
byte-identical JSON.
"""

from __future__ import annotations

import json

from ...errors import RunFailed, UserError
from .common import add_verb, need_pybullet, settings, validate, verdict_table


def register(verbs) -> None:
    from ...tabletop.validate.settings import ValidateSettings

    def build(v):
        v.add_argument("paths", nargs="*", metavar="FILE|DIR|NAME",
                       help="task files, folders, or base-library task names")
        v.add_argument("--gensim", metavar="PATH", help="also validate a GenSim checkout's task files, unchanged")
        v.add_argument("--library", action="store_true", help="validate the whole base library")
        v.add_argument("--report", metavar="FILE.html",
                       help="also write the conformance report: per file both verdicts, stage, reason and a "
                            "start/end picture of its oracle episode (rendered in sandbox workers), totals by reason")

    add_verb(verbs, "validate", "validate task files on K distinct seeds", run, ValidateSettings,
             "print verdicts as JSON (deterministic: no timings)", build)


def run(args) -> int:
    need_pybullet()
    s = settings(args)
    from ...tabletop.tasks.sources import collect, library

    paths = list(args.paths) + (sorted(library()) if args.library else [])
    if args.report and not str(args.report).endswith((".html", ".htm")):
        raise UserError(f"--report {args.report}: give an .html file name")
    candidates = collect(paths, args.gensim)
    verdicts = validate(candidates, s, args.progress)
    if args.report:
        write_report(args.report, candidates, verdicts, s, args.progress)
    if args.json:
        print(json.dumps([v.to_dict() for v in verdicts], indent=2, sort_keys=True))
    else:
        verdict_table(verdicts, f"Tabletop task verdicts ({s.seeds} seeds each, τ={s.tau})")
    failed = sum(not v.ok for v in verdicts)
    if failed:
        raise RunFailed(f"{failed} of {len(verdicts)} tasks did not pass")
    return 0


def write_report(path: str, candidates, verdicts, s, progress: str = "auto") -> None:
    """Pictures in sandbox workers, then the page (tabletop.validate.conformance)."""
    from ...tabletop.validate import conformance
    from ..progress import reporter

    with reporter(progress) as report:
        pics = conformance.pictures(candidates, verdicts, run_seed=s.seed, workers=s.workers,
                                    progress=report.counter("rendering pictures", len(candidates)))
    conformance.report(verdicts, pics, title="Tabletop task conformance",
                       meta={"files": len(verdicts), "seeds": s.seeds, "tau": s.tau}).write(path)
