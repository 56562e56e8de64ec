"""A whole GenSim checkout through `tabletop validate`, timed: wall and CPU seconds (issue 22's
target: <= 120 s on 2 cores, 8 seeds, the floating tip), against the previous code path.

    PYTHONPATH=src python benchmarks/gensim_checkout_speed.py /work/shared/gensim [--old-commit REV] \
        [--workers N] [--out benchmarks/results/gensim_checkout_speed_DATE.json]

Each path runs in a fresh subprocess of this one, on a worker pool of its own (`--workers`, default
the cores), over every task file of the checkout, 8 seeds:
- `decided`: today's default — a seed's oracle runs only while the verdict needs it (validate.decided);
- `every_oracle`: today's code with `--every-oracle` (every seed's oracle, as before);
- `old`: the code at `--old-commit` (git archive of its src/ into a temporary folder), when given.
CPU is the sandbox workers' process trees (zygotes and their waited-for children, as
experiments/gensim_conformance.py measures it: the committed baseline figure) plus the parent's own.
Every path's verdicts are compared with the committed ones (experiments/gensim_verdict_check.py):
a speed-up that changed a verdict is reported as such. Run it on an idle machine, alone.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "experiments"))

COMMITTED = ROOT / "experiments" / "results" / "gensim-conformance"
TARGET_WALL = 120.0


def run_one(checkout: str, mode: str, workers: int | None, out: str) -> None:
    """In the subprocess: validate the checkout's files on a pool of our own; write wall, CPU, rows."""
    from gensim_conformance import tree_cpu_seconds
    from gensim_verdict_check import verdict_row
    from roboinstruct.sandbox import WorkerPool
    from roboinstruct.tabletop.tasks.sources import collect
    from roboinstruct.tabletop.validate.run import CPU_SECONDS, WORKER_MEMORY_MB, validate_many

    candidates = collect([], checkout)
    kwargs = {} if mode == "old" else {"every_oracle": mode == "every_oracle"}
    size = workers or os.cpu_count() or 1
    start, cpu0 = time.monotonic(), time.process_time()
    with WorkerPool(size, memory_mb=WORKER_MEMORY_MB, cpu_seconds=CPU_SECONDS) as pool:
        verdicts = validate_many(candidates, seeds=8, workers=size, pool=pool, **kwargs)
        wall = time.monotonic() - start
        workers_cpu = tree_cpu_seconds([w.proc.pid for w in pool.workers])
    parent_cpu = time.process_time() - cpu0
    rows = [verdict_row(v) for v in verdicts]
    # seeds simulated through their oracle (or until a check before it stopped them)
    oracles = sum(1 for v in verdicts for e in v.episodes if e.get("oracle_run", True) and e.get("sim_steps", 0) > 0)
    Path(out).write_text(json.dumps({"wall_s": round(wall, 1), "workers_cpu_s": round(workers_cpu, 1),
                                     "parent_cpu_s": round(parent_cpu, 1), "workers": size, "files": len(rows),
                                     "oracle_episodes": oracles, "rows": rows}))


def measure(checkout: str, mode: str, workers: int | None, src: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        env = dict(os.environ, PYTHONPATH=str(src))
        cmd = [sys.executable, str(Path(__file__).resolve()), checkout, "--one", mode, "--result", str(out)]
        if workers:
            cmd += ["--workers", str(workers)]
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        return json.loads(out.read_text())


def old_tree(commit: str, into: str) -> Path:
    """The package at `commit`, as files (git archive of its src/)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", into], input=archive, check=True)
    return Path(into) / "src"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout")
    ap.add_argument("--workers", type=int, default=None, help="sandbox workers (default: the cores)")
    ap.add_argument("--old-commit", help="also time the code at this commit (the previous code path)")
    ap.add_argument("--out", help="write the numbers as JSON here")
    ap.add_argument("--one", choices=("decided", "every_oracle", "old"), help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        run_one(args.checkout, args.one, args.workers, args.result)
        return 0
    from gensim_verdict_check import compare

    committed = json.loads((COMMITTED / "results.json").read_text())
    manifest = json.loads((COMMITTED / "manifest.json").read_text())
    base = manifest["timing"]
    load = os.getloadavg()
    paths = {}
    # not under /tmp: a sandbox worker has a private, empty /tmp, so it could not import the old code there
    with tempfile.TemporaryDirectory(prefix=".old-src-", dir=ROOT) as tmp:
        sources = {"decided": ROOT / "src", "every_oracle": ROOT / "src"}
        if args.old_commit:
            sources = {"old": old_tree(args.old_commit, tmp), **sources}
        for mode, src in sources.items():
            r = measure(args.checkout, mode, args.workers, src)
            check = compare(committed["files"], r.pop("rows"))
            r["cpu_s"] = round(r["workers_cpu_s"] + r["parent_cpu_s"], 1)
            r["verdicts"] = {"same": check["same"], "files": check["files"], "not_run_seeds": check["not_run_seeds"],
                             "differences": check["differences"]}
            paths[mode] = r
            print(f"{mode:13s} {r['wall_s']:7.1f} s wall  {r['cpu_s']:7.1f} s CPU ({r['workers']} workers)  "
                  f"{r['oracle_episodes']} oracle episodes  verdicts {check['same']}/{check['files']} the same "
                  f"({check['not_run_seeds']} oracles not run)", flush=True)
    new = paths["decided"]
    ratios = {f"{mode}_over_decided": {"wall": round(p["wall_s"] / new["wall_s"], 2),
                                       "cpu": round(p["cpu_s"] / new["cpu_s"], 2)} for mode, p in paths.items()
              if mode != "decided"}
    ratios["committed_baseline_over_decided"] = {"wall": round(base["validate_wall_seconds"] / new["wall_s"], 2),
                                                 "cpu": round(base["validate_cpu_seconds"] / new["workers_cpu_s"], 2)}
    for name, r in ratios.items():
        print(f"{name}: {r['wall']}x wall, {r['cpu']}x CPU")
    print(f"whole checkout, 8 seeds, {new['workers']} workers: {new['wall_s']} s wall "
          f"(target <= {TARGET_WALL:.0f} s: {'met' if new['wall_s'] <= TARGET_WALL else 'NOT met'})")
    result = {"date": datetime.date.today().isoformat(), "checkout": Path(args.checkout).name,
              "files": new["files"], "seeds": 8, "cores": os.cpu_count(), "loadavg_at_start": [round(x, 2) for x in load],
              "committed_baseline": {"wall_s": base["validate_wall_seconds"], "workers_cpu_s": base["validate_cpu_seconds"],
                                     "workers": base["workers"], "source": str((COMMITTED / "manifest.json").relative_to(ROOT))},
              "old_commit": args.old_commit, "paths": paths, "ratios": ratios, "target_wall_s": TARGET_WALL,
              "target_met": new["wall_s"] <= TARGET_WALL}
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
