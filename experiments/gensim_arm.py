"""The floating tip against the arm (`--robot arm`), both against GenSim's own environment.

    PYTHONPATH=src python experiments/gensim_arm.py /work/shared/gensim \
        --env experiments/results/gensim-conformance/gensim_env.jsonl --out experiments/results/gensim-arm

On the same files, twice (the tip, then the Panda arm of `tabletop.env.arm`): every file GenSim's
environment rejects (experiments/gensim_reference.py's per-class verdicts, joined per file by
experiments/gensim_join.py) and a seeded sample of the files it accepts. Each file is validated
alone on one worker pool per robot (K seeds, GenSim's dialect), so its wall and CPU seconds are its
own. Agreement with GenSim's env (accepted-accepted and rejected-rejected, under GenSim's rule here)
comes from gensim_join.join, per robot. A timing benchmark: run it alone (flock) on an idle machine.
Writes OUT/results.json (per file both verdicts and seconds), OUT/table.md, OUT/manifest.json;
OUT/diagnosis.md (experiments/gensim_arm_diagnose.py, GenSim's env per action) is linked, not rewritten.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gensim_conformance import git_commit, row  # noqa: E402
from gensim_join import _md, env_by_file, here_status, join, load_jsonl, load_reference  # noqa: E402
import gensim_seed_noise as seed_noise  # noqa: E402

ROBOTS = ("tip", "arm")
TAU = 0.5  # validate_many's default share of seeds, which measure() uses


def choose(candidates, env: dict, accepted: int, seed: int, before: dict) -> list:
    """Every file GenSim's env rejects, and `accepted` of those it accepts (seeded sample). The
    rejected files the tip passed before this branch (`before`: file -> status) come first."""
    rejected = [c for c in candidates if env.get(c.file, {}).get("status") == "rejected"]
    rejected.sort(key=lambda c: before.get(c.file) != "pass")
    ok = [c for c in candidates if env.get(c.file, {}).get("status") == "accepted"]
    sample = sorted(random.Random(seed).sample(ok, min(accepted, len(ok))), key=lambda c: c.file)
    # interleaved, so a run stopped early has measured both kinds
    return [c for pair in itertools.zip_longest(rejected, sample) for c in pair if c is not None]


def measure(candidates, seeds: int, workers: int, runs: Path) -> None:
    """Per file, the tip then the arm, each on its own worker pool; one JSON line per (file, robot) in
    `runs` as it finishes (a restart skips those done), so a run stopped early covers both robots on
    the same files."""
    from roboinstruct.artifacts import RecordFile
    from roboinstruct.sandbox import WorkerPool
    from roboinstruct.tabletop.validate.run import WORKER_MEMORY_MB, cpu_seconds, validate_many

    records = RecordFile(runs, key=("file", "robot"))
    pools = {r: WorkerPool(workers, memory_mb=WORKER_MEMORY_MB, cpu_seconds=cpu_seconds(r)) for r in ROBOTS}
    try:
        for c in candidates:
            for robot in ROBOTS:
                if (c.file, robot) in records:
                    continue
                t0 = time.monotonic()
                v = validate_many([c], seeds=seeds, tau=TAU, workers=workers, pool=pools[robot], robot=robot)[0]
                # wall seconds, and physics steps (the load-free measure of the work; the workers' CPU
                # time is not readable per file: their children are reaped lazily)
                sec = {"wall": round(time.monotonic() - t0, 2), "steps": v.sim_steps}
                records.append({"file": c.file, "robot": robot, "row": row(v), "seconds": sec})
                print(f"{robot} {c.file}: {(v.gensim_verdict or {}).get('status') or v.status} {sec}",
                      file=sys.stderr, flush=True)
    finally:
        records.close()
        for pool in pools.values():
            pool.close()


def fig(x: dict) -> str:
    return f"{x['share']} [{x['ci95'][0]}, {x['ci95'][1]}] ({x['agree']}/{x['of']})" if x["of"] else "n/a"


def table(results: dict, files: list[dict], timing: dict, seeds: int, before: dict) -> str:
    out = ["# The floating tip and the arm against GenSim's own environment", "",
           f"Written by experiments/gensim_arm.py. {len(files)} files of the GenSim checkout: every file GenSim's "
           f"environment rejects and a seeded sample of those it accepts, each validated on {seeds} seeds in GenSim's "
           "dialect, once with the floating suction tip (the default) and once with `--robot arm` (the Franka Panda "
           "of pybullet_data with a suction cup, driven as GenSim's UR5). Agreement: GenSim's rule here against "
           "GenSim's env (experiments/gensim_join.py). Why GenSim's own oracle fails the files it rejects, action by "
           "action: diagnosis.md.", "",
           "| figure (95% Wilson interval) | tip before this branch (8 seeds) | tip | arm |", "|---|---|---|---|"]
    for key, words in (("rejected_by_env_rejected_here", "of the files GenSim's env rejects, rejected here too (target ≥ 0.80)"),
                       ("accepted_by_env_accepted_here", "of the sampled files GenSim's env accepts, accepted here")):
        out.append(f"| {words} | {fig(before[key])} | {fig(results['tip']['figures'][key])} | {fig(results['arm']['figures'][key])} |")
    out += [f"| wall seconds per task, median | | {timing['tip']['median_wall']} | {timing['arm']['median_wall']} |",
            f"| wall seconds, total over {len(files)} files | | {timing['tip']['wall']} | {timing['arm']['wall']} |",
            f"| physics steps per task, median | | {timing['tip']['median_steps']} | {timing['arm']['median_steps']} |",
            f"| arm / tip, wall seconds per task (median of per-file ratios) | | | {timing['ratio_median']}× |", "",
            f"Timing: {timing['note'] or 'an idle machine'}.", "",
            "## Per file", "",
            "| file | GenSim's env (rewards per seed) | tip before this branch (8 seeds) | tip: GenSim's rule | arm: GenSim's rule | wall seconds tip / arm |",
            "|---|---|---|---|---|---|"]
    for f in files:
        rewards = "; ".join(f"{', '.join(f'{x:.2f}' for x in r)}" for r in f["env_rewards"].values())
        rewards = rewards if len(rewards) <= 40 else f"{len(f['env_rewards'])} classes"
        out.append(f"| {f['file'].split('/')[-1]} | {f['env']} ({rewards}) | {f['before'] or 'n/a'} | {_md(f['tip'])} | {_md(f['arm'])} "
                   f"| {f['seconds']['tip']['wall']} / {f['seconds']['arm']['wall']} |")
    out += ["", "## Disagreements against the seeds behind them (experiments/gensim_seed_noise.py)", "",
            "GenSim's reference ran 2–4 seeds a class (it stops once its rule is decided), this run "
            f"{seeds}: a disagreement on a task both simulators solve on about half the seeds can be the seed "
            "counts alone. Fisher p ≥ 0.05: the two per-seed rates are not told apart by these seeds.", ""]
    for robot in ROBOTS:
        out += seed_noise.section(files, robot, seeds, TAU)[0]
    return "\n".join(out) + "\n"


def verdict_text(r: dict) -> str:
    g = r.get("gensim") or {}
    status = g.get("status") or r["strict"]["status"]
    if status == "pass":
        return f"pass ({g.get('passed')}/{r['strict']['seeds']})"
    return f"{status} ({g.get('passed')}/{r['strict']['seeds']}): {(g.get('reason') or r['strict']['reason'])[:220]}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout")
    ap.add_argument("--env", default="experiments/results/gensim-conformance/gensim_env.jsonl")
    ap.add_argument("--out", default="experiments/results/gensim-arm")
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--accepted", type=int, default=20, help="files GenSim's env accepts, sampled")
    ap.add_argument("--sample-seed", type=int, default=0)
    ap.add_argument("--before", default="experiments/results/gensim-conformance/results.json",
                    help="the tip's verdicts before this branch (the committed conformance run)")
    ap.add_argument("--retable", action="store_true", help="only rewrite the outputs from OUT/runs.jsonl")
    ap.add_argument("--timing-note", default="", help="how the machine was loaded while this ran")
    args = ap.parse_args(argv)
    from roboinstruct.artifacts import atomic_write, versions, write_json
    from roboinstruct.tabletop.tasks.sources import collect

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    classes = load_reference(Path(args.env))
    env = env_by_file(classes)
    before = {}  # the tip's verdicts at the branch point (the committed conformance run, 8 seeds)
    if Path(args.before).exists():
        before = {r["file"]: here_status(r) for r in json.loads(Path(args.before).read_text())["files"]}
    chosen = choose(collect([], args.checkout), env, args.accepted, args.sample_seed, before)
    if args.retable and (out / "manifest.json").exists():
        # the files measured, not a new sample: GenSim's verdicts may have moved since (e.g. classes
        # measured again on a CPU clock), and the run's own settings and timing note stand
        was = json.loads((out / "manifest.json").read_text())
        chosen = [c for c in collect([], args.checkout) if c.file in set(was["files"])]
        for key in ("seeds", "workers", "accepted", "sample_seed", "timing_note"):
            setattr(args, key, was.get("accepted_sample" if key == "accepted" else key, getattr(args, key)))
    if not args.retable:
        measure(chosen, args.seeds, args.workers, out / "runs.jsonl")
    done = {(r["file"], r["robot"]): r for r in load_jsonl(out / "runs.jsonl")}
    chosen = [c for c in chosen if all((c.file, r) in done for r in ROBOTS)]  # both robots measured
    rows = {r: [done[(c.file, r)]["row"] for c in chosen] for r in ROBOTS}
    seconds = {r: {c.file: done[(c.file, r)]["seconds"] for c in chosen} for r in ROBOTS}
    results = {r: join(rows[r], classes) for r in ROBOTS}
    before_fig = join([{"file": c.file, "strict": {"status": before[c.file]}, "gensim": {"status": before[c.file]}}
                       for c in chosen if c.file in before], classes)["figures"]
    files = []
    for i, c in enumerate(chosen):
        e = env[c.file]
        files.append({"file": c.file, "env": e["status"], "env_rewards": e["rewards"], "before": before.get(c.file),
                      "tip": verdict_text(rows["tip"][i]), "arm": verdict_text(rows["arm"][i]),
                      "tip_row": rows["tip"][i], "arm_row": rows["arm"][i],
                      "seconds": {r: seconds[r][c.file] for r in ROBOTS}})
    timing = {r: {"wall": round(sum(s["wall"] for s in seconds[r].values()), 1),
                  "steps": sum(s["steps"] for s in seconds[r].values()),
                  "median_wall": round(statistics.median(s["wall"] for s in seconds[r].values()), 2) if chosen else None,
                  "median_steps": statistics.median(s["steps"] for s in seconds[r].values()) if chosen else None}
              for r in ROBOTS}
    ratios = [seconds["arm"][f]["wall"] / seconds["tip"][f]["wall"] for f in seconds["tip"] if seconds["tip"][f]["wall"] > 0.05]
    timing["ratio_median"] = round(statistics.median(ratios), 1) if ratios else None
    timing["note"] = args.timing_note
    noise = {r: seed_noise.section(files, r, args.seeds, TAU)[1] for r in ROBOTS}
    write_json(out / "results.json", {"figures": {r: results[r]["figures"] for r in ROBOTS}, "timing": timing,
                                      "seed_noise": noise,
                                      "figures_tip_before": before_fig,
                                      "files": files, "confusion": {r: results[r]["confusion"] for r in ROBOTS}})
    atomic_write(out / "table.md", table(results, files, timing, args.seeds, before_fig))
    write_json(out / "manifest.json", {
        "checkout": args.checkout.rstrip("/").split("/")[-1], "env_verdicts": args.env, "seeds": args.seeds,
        "workers": args.workers, "accepted_sample": args.accepted, "sample_seed": args.sample_seed,
        "files": [c.file for c in chosen], "versions": versions(["roboinstruct", "pybullet", "numpy"]),
        "roboinstruct_commit": git_commit(Path(__file__).resolve().parent),
        "measured_files": len(chosen), "timing_note": args.timing_note})
    print(json.dumps({r: results[r]["figures"] for r in ROBOTS}, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
