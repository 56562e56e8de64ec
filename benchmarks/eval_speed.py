"""How fast is the benchmark evaluator? (a benchmark, not a test)

1. >= 200 (program, task) pairs from our suite (reference + wrong variants of every task,
   one per prompt, each made a distinct source so nothing is served from the compile
   cache) evaluated in-process, against a RoboEval-style baseline that starts one Python
   subprocess per state (`python -c`, import the simulator, build the world, run the
   program, print the trace). The baseline runs on a sample and is reported per pair.
2. The whole built-in suite with 20 completions per prompt, through the sandboxed
   workers, as `roboinstruct evaluate` runs it.

    python benchmarks/eval_speed.py [--baseline-pairs 40] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from roboinstruct.benchmark import (
    evaluate_program,
    evaluate_programs,
    load_tasks,
    summarize,
)
import sandbox_speed
from legacy_pool import LegacyWorker
from speed_helpers import pairs, summary

BASELINE = r'''
import json, sys
from roboinstruct.benchmark.simulator import ConcreteSim
from roboinstruct.benchmark.world import World, Person
spec = json.loads(sys.argv[1])
w = World(spec["locations"], spec["objects"], {k: [Person(**p) for p in v] for k, v in spec["people"].items()}, spec["robot"])
sim = ConcreteSim(roboeval=True)
sim.reset(w)
env = dict(sim.api)
exec(spec["program"], env)
env["task_program"]()
sys.stdout.write("".join(sim.text))
'''


def world_json(world, program: str) -> str:
    return json.dumps({"locations": world.locations, "objects": world.objects, "robot": world.robot,
                       "people": {k: [vars(p) for p in v] for k, v in world.people.items()}, "program": program})


def baseline(rows, suite) -> tuple[float, int]:
    start, states = time.perf_counter(), 0
    for r in rows:
        for state in suite[r["task"]].states:
            if state.timeout:
                continue  # RoboEval would wait out its wall-clock timeout here; we skip it in its favour
            subprocess.run([sys.executable, "-c", BASELINE, world_json(state.world, r["program"])],
                           capture_output=True, timeout=30)
            states += 1
    return time.perf_counter() - start, states


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline-pairs", type=int, default=40, help="pairs the subprocess baseline runs (sample)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2, help="rounds of the sandbox-vs-previous-design comparison")
    args = ap.parse_args()
    suite = load_tasks("builtin")
    rows = pairs(suite)
    assert len(rows) >= 200, len(rows)

    t0 = time.perf_counter()
    results = [evaluate_program(r["program"], suite[r["task"]]) for r in rows]
    ours = time.perf_counter() - t0
    n_states = sum(len(suite[r["task"]].states) for r in rows)
    per_pair = ours / len(rows)
    print(f"in-process: {len(rows)} pairs ({n_states} state runs) in {ours:.3f} s = {per_pair * 1e3:.2f} ms/pair")

    sample = rows[:: max(1, len(rows) // args.baseline_pairs)][: args.baseline_pairs]
    base, base_states = baseline(sample, suite)
    base_per_pair = base / len(sample)
    print(f"subprocess-per-state baseline: {len(sample)} pairs ({base_states} subprocesses) in {base:.2f} s "
          f"= {base_per_pair * 1e3:.1f} ms/pair (projected {base_per_pair * len(rows):.1f} s for all {len(rows)})")
    print(f"speed-up: {base_per_pair / per_pair:.0f}x (target >= 200x)")

    # the sandbox (one zygote, a fresh confined child per program, the parent judging) against the
    # design it replaced: sandbox_speed's comparison, the one interleaved loop
    legacy = LegacyWorker()
    try:
        row = sandbox_speed.evaluator(legacy, args.rounds, False)
    finally:
        legacy.close()
    assert row["success"] == sum(r["verdict"] == "Success" for r in results), "the sandbox's verdicts differ"
    s = summary(row)
    print(f"sandbox (judged apart) vs previous design (verdict in the worker): {s['new']:.2f} / {s['old']:.2f} ms/program = "
          f"{s['ratio']:.2f}x (target <= 3x)")

    full = []
    for name, task in suite.items():
        programs = [task.reference, *task.wrong.values()]
        for i in range(len(task.prompts)):
            for c in range(20):
                full.append({"task": name, "prompt_index": i, "program": f"{programs[c % len(programs)]}\n# sample {i}.{c}\n"})
    t0 = time.perf_counter()
    evaluated = evaluate_programs(full, "builtin", workers=args.workers)
    total = time.perf_counter() - t0
    s = summarize(evaluated)
    print(f"whole built-in suite, 20 completions/prompt: {len(full)} programs, {args.workers} sandboxed workers, "
          f"{total:.1f} s (target < 30 s); pass@1 {s['overall']:.3f}, breakdown {s['breakdown']}")
    assert all(r["verdict"] for r in results)


if __name__ == "__main__":
    main()
