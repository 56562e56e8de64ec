"""The sandbox against the design it replaced, side by side in one process, written to a results file.

Three comparisons, each interleaved round by round (so machine load hits both sides alike), each
against the previous design (`legacy_pool.LegacyWorker`: one long-lived worker, jobs back to back,
no fork, no isolation, the verdict computed where the program ran), every round on new programs
(`speed_helpers.fresh`), the new side timed with the parent's own judging (its replay of the
child's record) and both sides' verdicts compared:

- RoboSim: 64 programs at 100 paths, one worker (target <= 3x, ms/program);
- the RoboEval-style evaluator: the built-in suite's reference and wrong programs (target <= 3x);
- tabletop validation: library tasks on K seeds, one worker: the task's child and the physics child
  (two forks per candidate) vs every seed in one reused process (target <= 1.5x, ms/task-seed).

    python benchmarks/sandbox_speed.py [--rounds 3] [--quick] [--out benchmarks/results]

Writes OUT/sandbox_<date>.md (the table, with the ratios and targets) and OUT/sandbox_<date>.json
(the manifest: machine, load average before and after, git commit, package versions, isolation,
arguments, every round's raw seconds). Run it on an idle machine for the record; `--quick` is a
smoke run (a few programs and tasks, one round) that writes to --out all the same.
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

from roboinstruct.artifacts import versions
from roboinstruct.benchmark import load_tasks
from roboinstruct.benchmark.evaluate import JOB as EVAL_JOB, judged as judged_row
from roboinstruct.domain import load_domain
from roboinstruct.robosim.verifier import judged, verification_task
from roboinstruct.sandbox import WorkerPool
from roboinstruct.sandbox.isolation import status
from roboinstruct.tabletop.tasks.sources import collect, library
from roboinstruct.tabletop.validate.run import validate_many
from roboinstruct.tabletop.validate.seeds import derive_seeds
from roboinstruct.tabletop.validate.taskcode import code_hash

from legacy_pool import LegacyWorker
from speed_helpers import fresh, interleaved, pairs, programs, summary

HERE = Path(__file__).resolve().parent
TARGETS = {"robosim": 3.0, "evaluator": 3.0, "tabletop": 1.5}
# rows without a target: what every candidate costs before its job runs, and the fork-per-candidate
# design as it was before the judge apart (the verdict in the child), same load, same run
CONTEXT = ("fixed", "robosim_in_child", "evaluator_in_child")


def _side_by_side(legacy: LegacyWorker, before: list[dict], jobs: list[dict], rounds: int, old_verdict, new_verdict,
                  in_child_job: str | None) -> tuple[dict, list, list]:
    """The previous design (`before`, run and judged in the reused worker) against the new one (`jobs`,
    a fresh child per program, judged here: `new_verdict(result, job)`), interleaved over rounds of
    fresh programs; `in_child_job` runs the new side with the child's own verdict (the design before
    the judge apart). Returns the times, the first round's verdicts and the parent's judging CPU."""
    verdicts: dict = {}
    judging: list[float] = []
    salt = "in child " if in_child_job else ""  # programs no earlier row compiled in the reused worker either

    def new(pool, r):
        batch = fresh(jobs, f"{salt}{r}")
        if in_child_job:
            batch = [{**j, "job": in_child_job} for j in batch]
        results = sorted(pool.run(batch), key=lambda x: x[0])
        c0 = time.process_time()
        verdicts[r] = [new_verdict(res, batch[i]) for i, res in results]
        judging.append(time.process_time() - c0)

    with WorkerPool(workers=1) as pool:
        legacy.run(before[:1])
        new(pool, -1)  # both warm: the zygote prepared, the old worker imported
        times = interleaved(rounds, lambda r: verdicts.setdefault(("old", r), [
            old_verdict(v) for v in legacy.run(fresh(before, f"{salt}{r}"))]), lambda r: new(pool, r),
            lambda: legacy.proc.pid, lambda: pool.workers[0].proc.pid)
    assert all(verdicts[r] == verdicts[("old", r)] for r in range(rounds)), "the designs disagree on a verdict"
    return times, verdicts[0], [] if in_child_job else judging[1:]


def robosim(legacy: LegacyWorker, rounds: int, quick: bool, paths: int = 100, in_child: bool = False) -> dict:
    """RoboSim: the previous design explores and judges in its worker; the new one records in a fresh
    child per program and the parent replays the record and judges (`verifier.judged`), timed with it."""
    progs = programs()[:: 8 if quick else 1]
    dom = load_domain()
    tasks = [verification_task(src, dom, 0, paths, {"dfs_paths": paths}) for _, src in progs]
    before = [{**t, "job": "legacy:verify_before"} for t in tasks]
    times, first, judging = _side_by_side(
        legacy, before, tasks, rounds, lambda v: v["valid"],
        lambda res, job: res["valid"] if in_child else judged(res, job, dom).valid,
        "speed_jobs:verify_in_child" if in_child else None)
    return {"unit": "ms/program", "n": len(tasks), **times, "valid": sum(first), "judge_cpu_s": judging}


def evaluator(legacy: LegacyWorker, rounds: int, quick: bool, in_child: bool = False) -> dict:
    """The RoboEval-style evaluator: the previous design runs and judges in its worker; the new one
    records in a fresh child per program, the parent replays and judges (`evaluate.judged`), timed with it."""
    suite = load_tasks("builtin")
    rows = pairs(suite)[:: 16 if quick else 1]
    jobs = [{"job": EVAL_JOB, "tasks": "builtin", "task": r["task"], "program": r["program"], "step_limit": 5000}
            for r in rows]
    before = [{**j, "job": "legacy:evaluate_before"} for j in jobs]
    times, first, judging = _side_by_side(
        legacy, before, jobs, rounds, lambda v: v["verdict"],
        lambda res, job: res["verdict"] if in_child else judged_row(res, suite[job["task"]])["verdict"],
        "speed_jobs:evaluate_in_child" if in_child else None)
    return {"unit": "ms/program", "n": len(jobs), **times, "success": first.count("Success"), "judge_cpu_s": judging}


def fixed(legacy: LegacyWorker, rounds: int, quick: bool) -> dict:
    """A no-op job (`speed_jobs.noop`) in a zygote prepared as RoboSim's: the fixed cost of one fresh
    child per candidate, against one JSON round trip to the reused worker. Context, not a target."""
    dom = load_domain()
    n = 16 if quick else 64
    task = verification_task('def task_program():\n    say("hi")\n', dom, 0, 1, {})
    jobs = [{**task, "job": "speed_jobs:noop"} for _ in range(n)]
    with WorkerPool(workers=1) as pool:
        legacy.run([{"job": "legacy:noop"}])
        list(pool.run(jobs[:1]))
        times = interleaved(rounds, lambda r: legacy.run([{"job": "legacy:noop"} for _ in jobs]),
                            lambda r: list(pool.run(jobs)), lambda: legacy.proc.pid, lambda: pool.workers[0].proc.pid)
    return {"unit": "ms/job", "n": n, **times}


def tabletop(legacy: LegacyWorker, rounds: int, quick: bool, seeds: int) -> dict:
    names = sorted(library())[:: 6 if quick else 2]
    cands = collect(names)
    jobs = [{"job": "legacy:validate_before", "source": c.source, "replay": True,
             "seeds": derive_seeds(0, code_hash(c.source), seeds)} for c in cands]
    with WorkerPool(workers=1) as pool:
        legacy.run(jobs[:1])
        validate_many(cands[:1], seeds=seeds, workers=1, pool=pool)
        times = interleaved(rounds, lambda r: legacy.run(jobs),
                            lambda r: validate_many(cands, seeds=seeds, workers=1, pool=pool),
                            lambda: legacy.proc.pid, lambda: pool.workers[0].proc.pid)
    return {"unit": "ms/task-seed", "n": len(cands) * seeds, "tasks": names, **times}


def table(results: dict, manifest: dict) -> str:
    out = [f"# Sandbox vs the previous design ({manifest['date']})", "",
           f"Written by `benchmarks/sandbox_speed.py {' '.join(manifest['argv'])}`; machine: {manifest['machine']}, "
           f"{manifest['cpus']} CPUs, load average {manifest['load_before']} before, {manifest['load_after']} after; "
           f"isolation {manifest['isolation']}; commit {manifest['commit']}. Old and new run interleaved in this "
           f"process, {manifest['rounds']} round(s); the previous design is one reused worker running the job code "
           f"as it was, the verdict computed where the program ran (`benchmarks/legacy_pool.py`).", "",
           "| what | n | unit | new (fork per candidate, isolated, judged apart) | previous design | ratio | target "
           "| met | CPU new | CPU previous | CPU ratio |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for key, row in results.items():
        s = row["summary"]
        target = TARGETS.get(key)
        met = "" if target is None else "yes" if s["ratio"] <= target else "no"
        out.append(f"| {key} | {row['n']} | {row['unit']} | {s['new']} | {s['old']} | {s['ratio']}x | "
                   f"{'' if target is None else f'<= {target}x'} | {met} | {s.get('new_cpu', '')} | "
                   f"{s.get('old_cpu', '')} | {s.get('cpu_ratio', '')}x |")
    judging = {k: r["summary"]["judge_cpu"] for k, r in results.items() if "judge_cpu" in r["summary"]}
    if judging:
        out += ["", "The parent's replay and judging, CPU ms per program (inside the new side's CPU): " +
                ", ".join(f"{k} {v}" for k, v in judging.items()) + "."]
    if "robosim_in_child" in results or "evaluator_in_child" in results:
        out += ["", "`*_in_child`: the same fork per candidate with the verdict computed in the child, as before the "
                "judge apart (`speed_jobs.verify_in_child`, `evaluate_in_child`): against its row above, what "
                "the record and the parent's replay cost; no target."]
    if "fixed" in results:
        out += ["", "`fixed`: a no-op job in a zygote prepared as RoboSim's against one round trip to the reused "
                "worker: what a fresh child per candidate costs before its job runs (fork, confinement, the "
                "hand-offs, exit, copy-on-write faults); no target."]
    out += ["", "Wall time is the target's measure (met: on wall time). CPU time is this process's plus the side's "
            "process tree's (the legacy worker; bubblewrap, the zygote and its children), from /proc: what the "
            "machine load distorts least (each hand-off between processes on a shared core can lose the CPU for "
            "a time slice, and the new design has more of them). Raw seconds per round are in the manifest "
            "beside this file."]
    return "\n".join(out) + "\n"


def commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seeds", type=int, default=8, help="tabletop seeds per task (K)")
    ap.add_argument("--quick", action="store_true", help="a smoke run: a few of each, one round")
    ap.add_argument("--only", choices=sorted(TARGETS) + list(CONTEXT), action="append",
                    help="run only these comparisons")
    ap.add_argument("--out", default=str(HERE / "results"))
    ap.add_argument("--tag", default="", help="appended to the file names (a second record on one day)")
    args = ap.parse_args()
    rounds = 1 if args.quick else args.rounds
    st = status()
    manifest = {"date": datetime.date.today().isoformat(), "argv": sys.argv[1:], "rounds": rounds,
                "machine": f"{platform.machine()} {platform.processor() or platform.platform()}",
                "cpus": os.cpu_count(), "affinity": sorted(os.sched_getaffinity(0)),
                "load_before": [round(x, 2) for x in os.getloadavg()], "commit": commit(),
                "isolation": "complete" if st.complete else "incomplete: " + "; ".join(st.missing),
                "versions": versions(["numpy", "pybullet", "pyseccomp", "torch"]), "python": sys.version.split()[0]}
    results = {}
    # the zygotes import speed_jobs (the `fixed` row's no-op) from here
    os.environ["PYTHONPATH"] = os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])
    legacy = LegacyWorker()
    try:
        for key in args.only or [*TARGETS, *CONTEXT]:
            if key == "fixed":
                results[key] = fixed(legacy, rounds, args.quick)
            elif key == "robosim_in_child":
                results[key] = robosim(legacy, rounds, args.quick, in_child=True)
            elif key == "evaluator_in_child":
                results[key] = evaluator(legacy, rounds, args.quick, in_child=True)
            elif key == "robosim":
                results[key] = robosim(legacy, rounds, args.quick)
            elif key == "evaluator":
                results[key] = evaluator(legacy, rounds, args.quick)
            else:
                results[key] = tabletop(legacy, rounds, args.quick, args.seeds)
            results[key]["summary"] = summary(results[key])
            s = results[key]["summary"]
            print(f"{key}: {s['new']} / {s['old']} {results[key]['unit']} = {s['ratio']}x (target <= "
                  f"{TARGETS.get(key)}x); CPU {s.get('new_cpu')} / {s.get('old_cpu')} = {s.get('cpu_ratio')}x")
    finally:
        legacy.close()
    manifest["load_after"] = [round(x, 2) for x in os.getloadavg()]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"sandbox_{manifest['date']}" + (f"_{args.tag}" if args.tag else "") + ("_quick" if args.quick else "")
    (out / f"{stem}.json").write_text(json.dumps({"manifest": manifest, "results": results}, indent=2) + "\n")
    (out / f"{stem}.md").write_text(table(results, manifest))
    print(f"wrote {out / stem}.md and .json")


if __name__ == "__main__":
    main()
