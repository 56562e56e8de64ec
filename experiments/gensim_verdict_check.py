"""Are today's verdicts on a GenSim checkout the committed ones? (issue 22: a faster validation
must not change a verdict.)

    PYTHONPATH=src python experiments/gensim_verdict_check.py /work/shared/gensim [--every-oracle] [--workers N]

Validates every task file of the checkout and the committed mutants (the bases and mutations in
experiments/results/gensim-conformance/results.json) as `experiments/gensim_conformance.py` does,
and compares each file's two verdicts with the committed rows: status, stage and reason class must
be identical; where every oracle ran, the reason and the seeds passed too; where some were not run
(validate.decided), `passed` must be consistent with the committed count (no more than it, and
reaching it with the seeds not run). Prints the differences; exit status 1 if there are any.
`compare` is what benchmarks/gensim_checkout_speed.py checks each measured path with.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

RESULTS = Path(__file__).resolve().parent / "results" / "gensim-conformance" / "results.json"


def differences(old: dict, new: dict) -> list[str]:
    """What differs between a committed row and a new one (gensim_conformance.row + "not_run" per
    rule, from verdict_row); [] when the verdicts are the same."""
    out = []
    for key in ("strict", "gensim"):
        a, b = old.get(key), new.get(key)
        if (a is None) != (b is None):
            out.append(f"{key}: judged {'before' if a else 'now'} only")
            continue
        if a is None:
            continue
        for field in ("status", "stage", "reason_class"):
            if a[field] != b[field]:
                out.append(f"{key} {field}: {a[field]!r} -> {b[field]!r}")
        skipped = b.get("not_run", 0)
        if not skipped:
            for field in ("reason", "passed"):
                if a[field] != b[field]:
                    out.append(f"{key} {field}: {a[field]!r} -> {b[field]!r}")
        elif not (b["passed"] <= a["passed"] <= b["passed"] + skipped):
            out.append(f"{key} passed: {a['passed']} committed, {b['passed']} now with {skipped} not run")
    return out


def compare(committed: list[dict], rows: list[dict]) -> dict:
    """{"files", "same", "not_run_seeds", "differences": {file: [...]}} of `rows` against `committed`."""
    by_file = {r["file"]: r for r in committed}
    diffs = {}
    for r in rows:
        old = by_file.get(r["file"])
        d = ["not in the committed results"] if old is None else differences(old, r)
        if d:
            diffs[r["file"]] = d
    missing = sorted(set(by_file) - {r["file"] for r in rows})
    for f in missing:
        diffs[f] = ["not validated now"]
    return {"files": len(rows), "same": len(rows) - len([f for f in diffs if f not in missing]),
            "not_run_seeds": sum((r["strict"].get("not_run") or 0) for r in rows),
            "differences": diffs}


def verdict_row(v) -> dict:
    """gensim_conformance.row plus each rule's seeds not run."""
    from gensim_conformance import row

    out = row(v)
    out["strict"]["not_run"] = getattr(v, "not_run", 0)
    if out.get("gensim"):
        out["gensim"]["not_run"] = (getattr(v, "gensim_verdict", None) or {}).get("not_run", 0)
    return out


def candidates(checkout: str, committed: dict):
    """The checkout's task files and the committed mutants, as Candidates (files first)."""
    from gensim_mutants import mutate
    from roboinstruct.tabletop.tasks.sources import collect
    from roboinstruct.tabletop.validate.verdict import Candidate

    files = collect([], checkout)
    by_file = {c.file: c for c in files}
    mutants = [Candidate(f"mutant/{m['mutation']}/{m['base']}", mutate(by_file[m["base"]].source, m["mutation"]),
                         "gensim", by_file[m["base"]].assets) for m in committed.get("mutants", [])]
    return files, mutants


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout")
    ap.add_argument("--results", default=str(RESULTS), help="the committed results.json")
    ap.add_argument("--every-oracle", action="store_true", help="run every seed's oracle (the old path)")
    ap.add_argument("--workers", type=int, default=None, help="sandbox workers (default: the cores)")
    ap.add_argument("--out", help="also write the comparison as JSON here")
    args = ap.parse_args(argv)
    from roboinstruct.tabletop.validate.run import validate_many

    committed = json.loads(Path(args.results).read_text())
    seeds = committed.get("manifest_meta", {}).get("seeds", 8)
    files, mutants = candidates(args.checkout, committed)
    verdicts = validate_many(files + mutants, seeds=seeds, workers=args.workers, every_oracle=args.every_oracle)
    rows = [verdict_row(v) for v in verdicts]
    result = {"files": compare(committed["files"], rows[:len(files)]),
              "mutants": compare([{**m, "file": f"mutant/{m['mutation']}/{m['base']}"} for m in committed.get("mutants", [])],
                                 rows[len(files):])}
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    for part, res in result.items():
        print(f"{part}: {res['same']}/{res['files']} the same verdicts; {res['not_run_seeds']} seeds' oracles not run")
        for f, d in sorted(res["differences"].items()):
            print(f"  {f}: {'; '.join(d)}")
    return 1 if any(res["differences"] for res in result.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
