"""`roboinstruct report RUN_DIR`: rebuild a generation run's report.html from its records."""

from __future__ import annotations


def register(sub) -> None:
    r = sub.add_parser("report", help="write report.html for a generation run directory")
    r.add_argument("run_dir")
    r.set_defaults(func=run)


def run(args) -> int:
    from ..pipeline.report import write_report

    print(write_report(args.run_dir))
    return 0
