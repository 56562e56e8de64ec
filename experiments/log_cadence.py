"""How often a run's log shows it moving: issue 24's target for runs outside a terminal.

    python experiments/log_cadence.py OUT LOG [LOG ...]

Reads logs written with `--progress lines` (or any output that is not a terminal), whose lines start
with the run's elapsed time `[H:MM:SS]`, and writes OUT/results.json, OUT/table.md, OUT/manifest.json:
per log, the time of the first progress line, the longest silence between two lines, and whether the
final summary (the `pairs in dataset` table row) is in the log. Target: first line within 30 s, no
silence longer than 60 s.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

STAMP = re.compile(r"^\[(\d+):(\d\d):(\d\d)\]")


def cadence(text: str) -> dict:
    stamps = [int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) for m in map(STAMP.match, text.splitlines()) if m]
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    return {"lines": len(stamps), "first_s": stamps[0] if stamps else None, "longest_silence_s": max(gaps, default=None),
            "last_s": stamps[-1] if stamps else None, "summary_in_log": "pairs in dataset" in text,
            "meets_target": bool(stamps) and stamps[0] <= 30 and max(gaps, default=0) <= 60 and "pairs in dataset" in text}


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        sys.exit("usage: python experiments/log_cadence.py OUT LOG [LOG ...]")
    out = Path(argv[0])
    rows = {Path(p).name: cadence(Path(p).read_text()) for p in argv[1:]}
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(rows, indent=1) + "\n")
    md = ["# Progress lines in logs (issue 24: first within 30 s, none more than 60 s apart)", "",
          "| log | lines | first line (s) | longest silence (s) | run length (s) | summary in log | target met |",
          "|---|---|---|---|---|---|---|"]
    md += [f"| {k} | {v['lines']} | {v['first_s']} | {v['longest_silence_s']} | {v['last_s']} | "
           f"{'yes' if v['summary_in_log'] else 'no'} | {'yes' if v['meets_target'] else 'no'} |" for k, v in rows.items()]
    (out / "table.md").write_text("\n".join(md) + "\n")
    (out / "manifest.json").write_text(json.dumps({"script": "experiments/log_cadence.py", "inputs": argv[1:],
                                                   "written": time.strftime("%Y-%m-%dT%H:%M:%S")}, indent=1) + "\n")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
