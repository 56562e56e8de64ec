"""Spares or not: the RoboEval-style evaluator on one zygote, with the next job's child forked ahead
(a spare, `sandbox.workers.spares_for`) against one forked for each job, on every CPU this process
may use and on one of them (the affinity set here, inherited by the pool's processes), interleaved
round by round, each round on new programs. What `spares_for` decides from: spares pay where the
pool leaves a core free, and cost where the spare's fork and warm-up take the job's own core.

    python benchmarks/sandbox_spares.py [--rounds 3] [--out benchmarks/results]

Writes OUT/sandbox_spares_<date>.md (ms/program per setting, mean and range over rounds) and .json
(machine, load average before and after, commit, every round's seconds). Run it on an idle machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from roboinstruct.benchmark import load_tasks
from roboinstruct.benchmark.evaluate import JOB, judged
from roboinstruct.sandbox import WorkerPool

from speed_helpers import fresh, pairs

HERE = Path(__file__).resolve().parent
SETTINGS = [(cpus, spares) for cpus in ("all", "one") for spares in ("always", "never")]


def _round(jobs: list[dict], suite: dict, cpus: str, spares: str, r: int) -> float:
    """Seconds for the round's programs on a fresh one-zygote pool (its start not timed)."""
    everything = os.sched_getaffinity(0)
    os.environ["ROBOINSTRUCT_SANDBOX_SPARES"] = spares
    if cpus == "one":
        os.sched_setaffinity(0, {max(everything)})
    try:
        with WorkerPool(workers=1) as pool:
            list(pool.run(jobs[:2]))  # the zygote started and prepared: not this comparison
            batch = fresh(jobs, r)
            t0 = time.perf_counter()
            for i, result in pool.run(batch):
                judged(result, suite[batch[i]["task"]], 5000)  # the caller's judging, as `evaluate` does
            return time.perf_counter() - t0
    finally:
        os.sched_setaffinity(0, everything)
        os.environ.pop("ROBOINSTRUCT_SANDBOX_SPARES", None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=str(HERE / "results"))
    args = ap.parse_args()
    suite = load_tasks("builtin")
    jobs = [{"job": JOB, "tasks": "builtin", "task": r["task"], "program": r["program"], "step_limit": 5000}
            for r in pairs(suite)]
    load_before = os.getloadavg()
    seconds: dict[str, list[float]] = {f"{c}/{s}": [] for c, s in SETTINGS}
    for r in range(args.rounds):
        for cpus, spares in SETTINGS:
            seconds[f"{cpus}/{spares}"].append(_round(jobs, suite, cpus, spares, r))
            print(f"round {r + 1}: {cpus} CPUs, spares {spares}: "
                  f"{seconds[f'{cpus}/{spares}'][-1] / len(jobs) * 1e3:.2f} ms/program", flush=True)
    rows = []
    for cpus, spares in SETTINGS:
        per = [s / len(jobs) * 1e3 for s in seconds[f"{cpus}/{spares}"]]
        rows.append({"cpus": len(os.sched_getaffinity(0)) if cpus == "all" else 1, "spares": spares,
                     "mean_ms": round(sum(per) / len(per), 2), "min_ms": round(min(per), 2),
                     "max_ms": round(max(per), 2)})
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=HERE).stdout.strip()
    date = datetime.date.today().isoformat()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"date": date, "commit": commit, "machine": platform.platform(), "cpus": os.cpu_count(),
                "load_before": load_before, "load_after": os.getloadavg(), "programs": len(jobs),
                "rounds": args.rounds, "rows": rows, "seconds": seconds}
    (out / f"sandbox_spares_{date}.json").write_text(json.dumps(manifest, indent=2) + "\n")
    md = [f"# Spares or not: the evaluator on one zygote ({date})", "",
          f"Written by `benchmarks/sandbox_spares.py --rounds {args.rounds}`; commit {commit}; "
          f"{platform.platform()}, {os.cpu_count()} CPUs; load average {list(load_before)} before, "
          f"{list(os.getloadavg())} after. {len(jobs)} programs of the built-in suite per round, judged by "
          "the caller as results come; settings interleaved round by round.", "",
          "| CPUs the pool may use | spares | ms/program (mean) | min | max |", "|---|---|---|---|---|"]
    md += [f"| {r['cpus']} | {r['spares']} | {r['mean_ms']} | {r['min_ms']} | {r['max_ms']} |" for r in rows]
    (out / f"sandbox_spares_{date}.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
