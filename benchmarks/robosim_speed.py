"""RoboSim speed: roboinstruct vs the reference way (a fresh `python -c` per path).

Verifies a fixed set of 64 programs (valid and invalid, 8 task shapes x 8 vocabularies)
at 100 paths each, in this process on one core, and, in the same run, runs programs the
way the reference implementation does: one new Python process per path, each executing
the program against randomized API stubs. Prints programs/s for both and the ratio.

    python benchmarks/robosim_speed.py [--ref-programs 8] [--paths 100]

The reference side is measured on a subset (it is slow) and its per-program cost is
taken as the mean over that subset; its stubs are minimal, which flatters it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from roboinstruct.robosim.explore import explore
from roboinstruct.sandbox.isolation import status

import sandbox_speed
from legacy_pool import LegacyWorker
from speed_helpers import programs

PRELUDE = '''
import random, sys
random.seed(int(sys.argv[1]))
held = None
def get_current_location(): return "start"
def get_all_rooms(): return ["kitchen", "office", "lab", "supply room", "bedroom", "lobby"]
def is_in_room(x): return random.random() < 0.5
def go_to(x): pass
def ask(p, q, options): return random.choice(options)
def say(m): pass
def pick(o):
    global held
    if held is not None: raise Exception("RobotPickError: already holding")
    held = o
def place(o):
    global held
    if held != o: raise Exception("RobotPlaceError: not holding")
    held = None
class _T:
    @staticmethod
    def sleep(s): pass
time = _T()
'''


def reference_seconds(program: str, paths: int) -> float:
    """One fresh interpreter per path, as the reference RoboSim does."""
    code = PRELUDE + program + "\ntry:\n    task_program()\nexcept Exception as e:\n    print(e)\n"
    t0 = time.perf_counter()
    for seed in range(paths):
        subprocess.run([sys.executable, "-c", code, str(seed)], capture_output=True, timeout=60)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=100)
    ap.add_argument("--ref-programs", type=int, default=8, help="programs measured the reference way")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the sandbox-vs-previous-design comparison")
    args = ap.parse_args()
    progs = programs()

    t0 = time.perf_counter()
    verdicts, per = [], []
    for _name, src in progs:
        t = time.perf_counter()
        verdicts.append(explore(src, paths=args.paths, dfs_paths=args.paths))
        per.append(time.perf_counter() - t)
    ours = time.perf_counter() - t0
    valid_ms = [p * 1000 for p, v in zip(per, verdicts) if v.valid]

    # the sandbox (one zygote, a fresh confined child per program, the parent judging) against the
    # design it replaced: sandbox_speed's comparison, the one interleaved loop
    legacy = LegacyWorker()
    try:
        row = sandbox_speed.robosim(legacy, args.rounds, False, paths=args.paths)
    finally:
        legacy.close()
    assert row["valid"] == sum(v.valid for v in verdicts), "the sandbox's verdicts differ from in-process ones"
    ours_isolated = sum(row["new_s"]) / args.rounds
    old_isolated = sum(row["old_s"]) / args.rounds

    # the worst case for us: every path runs (no early exhaustion) -> random paths only
    t0 = time.perf_counter()
    for _name, src in progs:
        explore(src, paths=args.paths, dfs_paths=1)
    ours_full = time.perf_counter() - t0

    subset = progs[:: max(1, len(progs) // args.ref_programs)][: args.ref_programs]
    ref = sum(reference_seconds(src, args.paths) for _, src in subset) / len(subset)

    n = len(progs)
    valid = sum(v.valid for v in verdicts)
    print(f"programs: {n} ({valid} valid, {n - valid} invalid), paths budget {args.paths}, one core")
    print(f"{'':34}{'programs/s':>12}{'ms/program':>12}{'vs reference':>14}")
    rows = [
        ("roboinstruct, in-process", n / ours, ours / n),
        ("roboinstruct, sandbox (fork/cand.)", n / ours_isolated, ours_isolated / n),
        ("previous design (reused worker)", n / old_isolated, old_isolated / n),
        ("roboinstruct, all paths random", n / ours_full, ours_full / n),
        (f"reference (python -c per path, {len(subset)} progs)", 1 / ref, ref),
    ]
    for label, rate, sec in rows:
        print(f"{label:34}{rate:12.1f}{sec * 1000:12.2f}{ref / sec:13.0f}x")
    print(f"valid programs: mean {statistics.mean(valid_ms):.2f} ms, max {max(valid_ms):.2f} ms "
          f"per program at {args.paths} paths (target <= 40 ms)")
    print(f"speed-up over the reference, sandboxed: {ref / (ours_isolated / n):.0f}x (target >= 1000x)")
    st = status()
    print(f"sandbox vs previous design: {ours_isolated / n * 1000:.2f} / {old_isolated / n * 1000:.2f} ms/program "
          f"= {ours_isolated / old_isolated:.2f}x (target <= 3x); isolation: "
          f"{'complete' if st.complete else 'incomplete: ' + '; '.join(st.missing)}")


if __name__ == "__main__":
    main()
