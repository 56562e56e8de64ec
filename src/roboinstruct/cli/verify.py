"""`roboinstruct verify`: one file, a JSONL batch, or the bundled examples, through RoboSim.

The JSONL mode is resumable: rows already in OUT (by id) are skipped, new verdicts are
appended and flushed one by one, so an interrupted run loses nothing.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from ..artifacts import JsonlSink, read_finished, read_objects
from ..errors import UserError

EXAMPLES_DIR = Path(__file__).parent.parent / "examples"


def register(sub) -> None:
    p = sub.add_parser("verify", help="verify robot programs with RoboSim",
                       description="Verify robot programs with RoboSim (sandboxed, exhaustive-then-random exploration).")
    p.add_argument("file", nargs="?", help="a .py file (or raw model output) holding def task_program():")
    p.add_argument("--jsonl", metavar="IN", help='rows {"id": ..., "program": "..."}; other fields are kept')
    p.add_argument("--out", metavar="OUT", help="where --jsonl writes rows with a 'verdict' (resumes if it exists)")
    p.add_argument("--examples", action="store_true", help="verify the bundled example programs")
    p.add_argument("--domain", default=None, help="built-in domain name or path to a domain YAML (default: service_robot)")
    p.add_argument("--workers", type=int, default=None, help="sandbox worker processes (default: number of cores)")
    p.add_argument("--paths", type=int, default=None, help="total path budget per program (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="seed for the random phase (same seed, same verdict)")
    p.add_argument("--json", action="store_true", help="print the verdict as JSON (single file)")
    p.add_argument("--report", metavar="HTML", help="HTML summary of a --jsonl run (default: OUT with .html)")
    p.set_defaults(func=run)


def _options(args) -> dict:
    opts = {"seed": args.seed}
    if args.paths is not None:
        if args.paths < 1:
            raise UserError("--paths must be at least 1")
        opts["paths"] = args.paths
    return opts


def run(args) -> int:
    from ..domain import load_domain

    domain = load_domain(args.domain)
    modes = [bool(args.file), bool(args.jsonl), bool(args.examples)]
    if sum(modes) != 1:
        raise UserError("give exactly one of FILE, --jsonl IN --out OUT, or --examples")
    if args.jsonl:
        return _run_jsonl(args, domain)
    if args.examples:
        return _run_examples(args, domain)
    path = Path(args.file)
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None
    from ..robosim import verify

    verdict = verify(text, domain, **_options(args))
    print(json.dumps(verdict.to_dict(), indent=2) if args.json else f"{path}: {verdict.render()}")
    return 0


def _run_examples(args, domain) -> int:
    from rich.console import Console
    from rich.table import Table

    from ..robosim import verify_many

    files = sorted(EXAMPLES_DIR.glob("*.py"))
    verdicts = verify_many([f.read_text() for f in files], domain, workers=args.workers, **_options(args))
    table = Table(title=f"RoboSim verdicts for the bundled examples ({domain.name})")
    for col in ("program", "expected", "verdict", "paths", "why"):
        table.add_column(col)
    wrong = 0
    for f, v in zip(files, verdicts):
        expected = "valid" if f.stem.startswith("valid_") else "invalid"
        got = "valid" if v.valid else "invalid"
        wrong += expected != got
        table.add_row(f.stem, expected, got, f"{v.paths}{' (all)' if v.exhaustive else ''}",
                      "" if v.valid else f"{v.error_kind}: {v.message}"[:70])
    Console().print(table)
    print(f"{len(files) - wrong} of {len(files)} examples got the expected verdict")
    return 1 if wrong else 0


def _read_rows(path: Path) -> list[dict]:
    rows, ids = [], set()
    for n, row in read_objects(path):
        if not isinstance(row.get("program"), str):
            raise UserError(f"{path}:{n}: each row needs a string field 'program'")
        row.setdefault("id", n)
        key = json.dumps(row["id"])
        if key in ids:
            raise UserError(f"{path}:{n}: duplicate id {row['id']!r}; ids must be unique")
        ids.add(key)
        rows.append(row)
    return rows


def _done_ids(out: Path) -> set[str]:
    return {json.dumps(r.get("id")) for r in read_finished(out, "verdict")}


def _run_jsonl(args, domain) -> int:
    from ..robosim import verify_many
    from .progress import bar as progress_bar

    if not args.out:
        raise UserError("--jsonl needs --out OUT for the verdicts")
    src, out = Path(args.jsonl), Path(args.out)
    rows = _read_rows(src)
    done = _done_ids(out)
    todo = [r for r in rows if json.dumps(r["id"]) not in done]
    counts: Counter = Counter()
    with JsonlSink(out) as sink, progress_bar("verifying") as bar:
        task = bar.add_task("verify", total=len(todo))

        def write(idx, verdict):
            sink.write({**todo[idx], "verdict": verdict.to_dict()})
            counts["valid" if verdict.valid else verdict.error_kind] += 1
            bar.advance(task)

        verify_many([r["program"] for r in todo], domain, workers=args.workers, on_result=write, **_options(args))
    skipped = len(rows) - len(todo)
    summary = ", ".join(f"{k}: {v}" for k, v in counts.most_common()) or "nothing to do"
    report = _write_report(out, Path(args.report) if args.report else out.with_suffix(".html"), domain, args)
    print(f"{len(todo)} verified ({summary}); {skipped} already in {out}; report: {report}", file=sys.stderr)
    return 0


def _write_report(out: Path, path: Path, domain, args) -> Path:
    """Tables and a chart over every row in OUT, including rows from earlier runs."""
    from ..report import BarChart, Report, Table

    rows = [r for r in read_finished(out, "verdict") if isinstance(r["verdict"], dict)]
    kinds = Counter("valid" if r["verdict"].get("valid") else r["verdict"].get("error_kind") for r in rows)
    rep = Report(f"RoboSim verification of {out.name}",
                 meta={"domain": domain.name, "programs": len(rows), "seed": args.seed,
                       "paths": args.paths or "default"})
    rep.add(BarChart("Verdicts", [(k, float(v)) for k, v in kinds.most_common()]))
    rep.add(Table("Counts", ["verdict", "programs", "share"],
                  [[k, v, f"{v / max(1, len(rows)):.1%}"] for k, v in kinds.most_common()]))
    bad = [r for r in rows if not r["verdict"].get("valid")][:500]
    rep.add(Table("Rejected programs (first 500)", ["id", "error", "line", "message", "paths"],
                  [[r.get("id"), r["verdict"].get("error_kind"), r["verdict"].get("line") or "",
                    r["verdict"].get("message", "")[:200], r["verdict"].get("paths", 0)] for r in bad]))
    return rep.write(path)

