"""`roboinstruct compare RESULT...`: several score results side by side (table + HTML chart)."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    c = sub.add_parser("compare", help="print and plot several score results side by side")
    c.add_argument("results", nargs="+", metavar="RESULT", help="score --out directories or their results.json")
    c.add_argument("--html", default="compare.html", help="where to write the chart (default compare.html)")
    c.set_defaults(func=run)


def run(args) -> int:
    from ..score.results import compare_table, load_results, write_compare_html
    from .score import print_table

    results = [load_results(r) for r in args.results]
    cols, rows = compare_table(results)
    print_table(cols, [[str(v) for v in row] for row in rows], "pass@1 side by side")
    print(f"chart: {write_compare_html(results, Path(args.html))}", file=sys.stderr)
    return 0
