"""`roboinstruct audit PAIRS`: keep or reject each (instruction, program) pair, with the rule and why.

PAIRS is a JSONL file (a run's dataset.jsonl, or any rows with `instruction` and `program`,
optional `id`) or a generation run directory (its dataset.jsonl). The checks are the ones
`generate --check CHECK` applies (`quality.assess_pairs`), so what audit keeps is what generate
would keep. Programs run only in sandbox workers.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from ..errors import UserError

CHECK_HELP = "strict (this project's meaning checks on top of RoboSim) or reference (the paper's RoboSim only)"


def register(sub) -> None:
    p = sub.add_parser("audit", help="keep/reject instruction-program pairs, with the rule and the reason",
                       description="Audit instruction->program pairs with the checks generate applies: instruction "
                                   "gates, RoboSim (strict semantics) and static meaning rules.")
    p.add_argument("pairs", help="JSONL with instruction and program (optional id), or a generation run directory")
    p.add_argument("--check", default="strict", choices=("strict", "reference"), help=CHECK_HELP)
    p.add_argument("--domain", default=None, help="built-in domain name or a domain YAML (default: service_robot)")
    p.add_argument("--json", action="store_true", help="one JSON object per pair: id, keep, rule, reason, findings")
    p.add_argument("--out", metavar="OUT.jsonl", help="also write the JSON rows to this file")
    p.add_argument("--report", metavar="HTML", help="an HTML report: counts by rule and every pair with its call")
    p.add_argument("--workers", type=int, default=None, help="sandbox worker processes (default: number of cores)")
    p.add_argument("--seed", type=int, default=0, help="seed of RoboSim's random phase")
    p.add_argument("--paths", type=int, default=1000, help="RoboSim path budget per program")
    p.set_defaults(func=run)


def read_pairs(path: str) -> list[dict]:
    """Rows {"id", "instruction", "program"} from a JSONL file or a run directory; bad rows are errors."""
    from ..artifacts import read_objects

    src = Path(path)
    if src.is_dir():
        if not (src / "dataset.jsonl").is_file():
            raise UserError(f"{src}: no dataset.jsonl here; give a generation run directory or a JSONL file")
        src = src / "dataset.jsonl"
    if not src.is_file():
        raise UserError(f"{src}: no such file; give a JSONL file of pairs or a generation run directory")
    rows, seen = [], set()
    for n, row in read_objects(src):
        missing = [k for k in ("instruction", "program") if not isinstance(row.get(k), str)]
        if missing:
            raise UserError(f"{src}:{n}: missing {' and '.join(missing)} (each line needs \"instruction\" and "
                            f"\"program\" as strings)")
        pid = str(row.get("id", n))
        if pid in seen:
            raise UserError(f"{src}:{n}: id {pid!r} appears twice; ids must be unique")
        seen.add(pid)
        rows.append({"id": pid, "instruction": row["instruction"], "program": row["program"]})
    if not rows:
        raise UserError(f"{src}: no pairs in this file")
    return rows


def run(args) -> int:
    from ..domain import load_domain
    from ..quality import assess_pairs

    if args.workers is not None and args.workers < 1:
        raise UserError("--workers must be at least 1")
    if args.paths < 1:
        raise UserError("--paths must be at least 1")
    domain = load_domain(args.domain or _run_domain(args.pairs))
    pairs = read_pairs(args.pairs)
    results = assess_pairs(pairs, domain, check=args.check, seed=args.seed, paths=args.paths, workers=args.workers)
    rows = [r.to_dict() for r in results]
    if args.out:
        from ..artifacts import atomic_write

        atomic_write(args.out, "".join(json.dumps(r) + "\n" for r in rows))
    if args.json:
        for r in rows:
            print(json.dumps(r))
    else:
        _print_table(pairs, rows, args.check)
    if args.report:
        write_audit_report(args.report, pairs, rows, args.check, domain.name)
    return 0


def _run_domain(path: str) -> str | None:
    """A run directory's own domain (its manifest names the YAML it was made with)."""
    manifest = Path(path) / "manifest.json"
    if not manifest.is_file():
        return None
    try:
        return json.loads(manifest.read_text())["domain"]["source"]
    except (ValueError, KeyError, TypeError):
        return None


def summary(rows: list[dict]) -> tuple[int, Counter]:
    kept = sum(r["keep"] for r in rows)
    return kept, Counter(r["rule"] for r in rows if not r["keep"])


def _print_table(pairs: list[dict], rows: list[dict], check: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"audit ({check})", show_lines=False)
    for col in ("id", "keep", "rule", "reason", "instruction"):
        table.add_column(col, overflow="fold")
    for p, r in zip(pairs, rows):
        table.add_row(r["id"], "yes" if r["keep"] else "no", r["rule"] or "", r["reason"][:90], p["instruction"][:90])
    console = Console(file=sys.stdout)
    console.print(table)
    kept, by_rule = summary(rows)
    console.print(f"kept {kept} of {len(rows)}" + ("; rejected by " + ", ".join(f"{k} {v}" for k, v in
                                                                               by_rule.most_common()) if by_rule else ""))


def write_audit_report(path: str, pairs: list[dict], rows: list[dict], check: str, domain: str) -> Path:
    from ..report import BarChart, DataTable, Report, Table

    kept, by_rule = summary(rows)
    rep = Report(f"Audit of {len(rows)} pairs", meta={"check": check, "domain": domain})
    rep.add(Table("Kept", ["pairs", "kept", "rejected"], [[len(rows), kept, len(rows) - kept]]))
    rep.add(BarChart("Rejected pairs by first rule", by_rule.most_common()))
    rep.add(DataTable("Pairs", ["id", "keep", "rule", "reason", "instruction", "program", "findings"], [
        [r["id"], "yes" if r["keep"] else "no", r["rule"] or "", r["reason"], p["instruction"], {"code": p["program"]},
         {"lines": [f"{f['rule']}" + (f" (line {f['line']})" if f.get("line") else "") + f": {f['reason']}"
                    for f in r["findings"]]}] for p, r in zip(pairs, rows)]))
    return rep.write(path)
