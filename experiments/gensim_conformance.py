"""GenSim conformance: every task file of a GenSim checkout through the real validation path.

    PYTHONPATH=src python experiments/gensim_conformance.py /work/shared/gensim \
        --out experiments/results/gensim-conformance [--seeds 8]

Writes OUT/results.json (per file: the strict verdict and GenSim's verdict, stage, reason class,
seeds passed — names and hashes only, never the checkout's code), OUT/table.md (counts by reason)
and OUT/manifest.json (the checkout's commit, package versions, settings, totals). The files run
in sandbox workers exactly as `roboinstruct tabletop validate --gensim PATH` runs them.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import time
from pathlib import Path


def reason_class(stage: str | None, reason: str) -> str:
    """A reason with its particulars (line numbers, names, numbers) taken out, for counting."""
    if not stage:
        return "pass"
    text = re.sub(r"^line \d+: ", "", reason or "")
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r"\([^()]*\)", "(…)", text)
    text = re.sub(r"\d+(\.\d+)?", "N", text)
    text = text.split(";")[0].split(": ")[0] if stage in ("oracle",) else text.split(";")[0]
    return f"{stage}: {text[:90]}"


def checkout_commit(root: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def row(v) -> dict:
    g = getattr(v, "gensim_verdict", None) or {}
    return {"file": v.file, "task": v.task, "code_hash": v.code_hash,
            "strict": {"status": v.status, "stage": v.stage, "reason_class": reason_class(v.stage, v.reason),
                       "reason": v.reason[:300], "passed": v.passed, "seeds": v.seeds},
            "gensim": {"status": g.get("status"), "stage": g.get("stage"),
                       "reason_class": reason_class(g.get("stage"), g.get("reason", "")) if g else None,
                       "passed": g.get("passed")} if g else None,
            "notes": len(getattr(v, "notes", []) or [])}


def table(rows: list[dict], totals: dict) -> str:
    gensim = (f"GenSim's rule (reward > 0.99 on ≥ τ·K seeds): **{totals['gensim_pass']} pass**."
              if any(r.get("gensim") for r in rows) else "GenSim's rule: not computed by the code measured.")
    out = ["# GenSim conformance", "",
           f"{totals['files']} task files; strict verdict: **{totals['strict_pass']} pass**; {gensim}", ""]
    for key, title in (("strict", "Strict verdict (the default)"), ("gensim", "GenSim's rule")):
        counts = collections.Counter(r[key]["reason_class"] for r in rows if r.get(key))
        if not counts:
            continue
        out += [f"## {title}", "", "| files | reason |", "|---:|---|"]
        out += [f"| {n} | {reason.replace('|', '/')} |" for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        out.append("")
    both = collections.Counter((r["strict"]["status"], (r.get("gensim") or {}).get("status")) for r in rows)
    out += ["## Strict × GenSim", "", "| strict | GenSim | files |", "|---|---|---:|"]
    out += [f"| {s} | {g or 'not judged'} | {n} |" for (s, g), n in sorted(both.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout")
    ap.add_argument("--out", default="experiments/results/gensim-conformance")
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--code-label", help="the roboinstruct code measured, when it is not this checkout's HEAD")
    ap.add_argument("--retable", action="store_true", help="only rewrite OUT/table.md from OUT/results.json")
    args = ap.parse_args(argv)
    if args.retable:
        from roboinstruct.artifacts import atomic_write

        data = json.loads((Path(args.out) / "results.json").read_text())
        atomic_write(Path(args.out) / "table.md", table(data["files"], data["totals"]))
        return 0

    from roboinstruct.artifacts import atomic_write, versions, write_json
    from roboinstruct.tabletop.tasks.sources import collect
    from roboinstruct.tabletop.validate.run import validate_many

    root = Path(args.checkout)
    candidates = collect([], str(root))
    start = time.monotonic()
    verdicts = validate_many(candidates, seeds=args.seeds, workers=args.workers)
    seconds = round(time.monotonic() - start)
    rows = [row(v) for v in verdicts]
    totals = {"files": len(rows), "strict_pass": sum(r["strict"]["status"] == "pass" for r in rows),
              "gensim_pass": sum((r.get("gensim") or {}).get("status") == "pass" for r in rows)}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "results.json", {"totals": totals, "files": rows})
    atomic_write(out / "table.md", table(rows, totals))
    write_json(out / "manifest.json", {
        "checkout": {"path_name": root.name, "commit": checkout_commit(root)},
        "seeds": args.seeds, "wall_seconds": seconds, "totals": totals,
        "versions": versions(["roboinstruct", "pybullet", "numpy"]),
        "roboinstruct_commit": args.code_label or checkout_commit(Path(__file__).resolve().parent)})
    print(json.dumps(totals), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
