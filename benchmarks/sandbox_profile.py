"""Where a fresh process per candidate spends the CPU: a system-wide `perf` profile of the sandboxed
RoboEval-style evaluator (one zygote, the built-in suite's programs, fresh each round), split by
what the kernel and the interpreter were doing, written to a results file.

    python benchmarks/sandbox_profile.py [--rounds 6] [--out benchmarks/results] [--tag T]

Needs `perf` (Debian: linux-perf) and permission to sample every CPU (root, or
kernel.perf_event_paranoid <= -1); a measuring tool, not a dependency of the project. Run it on
an idle machine: samples of other processes are counted under "other processes".

The buckets are inclusive call-graph shares of all samples (kernel entry points: a copy-on-write
fault is `do_wp_page`, a fork `kernel_clone`, an exit `do_exit`), so they answer "how much of the
machine went to X", and idle is what the 2 CPUs did not use. Against `sandbox_speed.py`'s ratio
this says which part of a candidate's cost a design change could still win back.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# (bucket, kernel or interpreter symbol whose inclusive share it is); the first match wins for
# "self" accounting, the inclusive shares may overlap (a fault taken inside the interpreter is both)
BUCKETS = [
    ("copy-on-write faults (do_wp_page)", "do_wp_page"),
    ("all page faults (exc_page_fault)", "exc_page_fault"),
    ("process exit: address-space teardown (do_exit)", "do_exit"),
    ("fork: address-space copy (kernel_clone)", "kernel_clone"),
    ("system calls (do_syscall_64)", "do_syscall_64"),
    ("the Python interpreter (_PyEval_EvalFrameDefault)", "_PyEval_EvalFrameDefault"),
    ("idle (CPU halted)", "pv_native_safe_halt"),
]

WORKLOAD = r'''
import sys, time
sys.path.insert(0, {bench!r})
from roboinstruct.benchmark import load_tasks
from roboinstruct.benchmark.evaluate import JOB, judged
from roboinstruct.sandbox import WorkerPool
from speed_helpers import fresh, pairs
suite = load_tasks("builtin")
jobs = [{{"job": JOB, "tasks": "builtin", "task": r["task"], "program": r["program"], "step_limit": 5000}}
        for r in pairs(suite)]
with WorkerPool(workers=1) as pool:
    list(pool.run(fresh(jobs, "warm")))
    t0, n = time.perf_counter(), 0
    for r in range({rounds}):
        batch = fresh(jobs, str(r))
        for i, res in pool.run(batch):
            judged(res, suite[batch[i]["task"]])
            n += 1
    print(f"{{1000 * (time.perf_counter() - t0) / n:.3f}} {{n}}")
'''


def shares(report: str) -> dict[str, float]:
    """symbol -> inclusive share (%) from `perf report --children --sort sym` text."""
    out = {}
    for line in report.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+([\d.]+)%\s+\[[k.]\]\s+(\S+)", line)
        if m and m.group(3) not in out:
            out[m.group(3)] = float(m.group(1))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--out", default=str(HERE / "results"))
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    if not shutil.which("perf"):
        sys.exit("error: perf not found: install it (Debian: apt-get install linux-perf) to profile the sandbox")
    src = str(HERE.parent / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "perf.data"
        script = Path(tmp) / "workload.py"
        script.write_text(WORKLOAD.format(bench=str(HERE), rounds=args.rounds))
        load_before = os.getloadavg()
        run = subprocess.run(["perf", "record", "-o", str(data), "-a", "-g", "-F", "4999", "--", sys.executable,
                              str(script)], capture_output=True, text=True, env=env)
        if run.returncode != 0:
            sys.exit(f"error: perf record failed: {run.stderr.strip().splitlines()[-1:]}")
        ms, programs = run.stdout.split()
        report = subprocess.run(["perf", "report", "-i", str(data), "--children", "-g", "none", "--sort", "sym",
                                 "--stdio"], capture_output=True, text=True).stdout
        by_comm = subprocess.run(["perf", "report", "-i", str(data), "--no-children", "-g", "none", "--sort", "comm",
                                  "--stdio"], capture_output=True, text=True).stdout
    sym = shares(report)
    comm = {m.group(2): float(m.group(1)) for m in re.finditer(r"^\s*([\d.]+)%\s+(\S+)\s*$", by_comm, re.M)}
    rows = [(label, sym.get(symbol, 0.0)) for label, symbol in BUCKETS]
    others = round(100 - sum(v for k, v in comm.items() if k in ("python", "swapper", "bwrap")), 2)
    date = datetime.date.today().isoformat()
    stem = f"sandbox_profile_{date}" + (f"_{args.tag}" if args.tag else "")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"date": date, "argv": sys.argv[1:], "machine": platform.platform(), "cpus": os.cpu_count(),
                "load_before": [round(x, 2) for x in load_before],
                "load_after": [round(x, 2) for x in os.getloadavg()], "ms_per_program": float(ms),
                "programs": int(programs), "buckets": dict(rows), "by_process": comm,
                "other_processes": others, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (out / f"{stem}.json").write_text(json.dumps(manifest, indent=2) + "\n")
    md = [f"# Where the sandboxed evaluator's CPU goes ({date})", "",
          f"Written by `benchmarks/sandbox_profile.py {' '.join(sys.argv[1:])}`: `perf record -a -g` (4999 Hz, every "
          f"CPU) over the sandboxed evaluator on one zygote, {programs} programs of the built-in suite, fresh each "
          f"round, {float(ms):.2f} ms/program under the profiler; machine {platform.platform()}, {os.cpu_count()} "
          f"CPUs, load average {manifest['load_before']} before. Shares are of all samples on all CPUs, inclusive "
          f"of what each entry point called (they overlap: a fault taken in the interpreter counts in both); "
          f"samples of processes other than the test's (python, bubblewrap) and the idle task: {others}% (another "
          f"process's load, e.g. a paused job, would show here).", "",
          "| where | share of all CPU samples |", "|---|---|"]
    md += [f"| {label} | {v:.1f}% |" for label, v in rows]
    (out / f"{stem}.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))
    print(f"wrote {out / stem}.md and .json")


if __name__ == "__main__":
    main()
