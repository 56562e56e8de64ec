"""Why GenSim's own oracle fails the tasks it rejects: every action of its episodes, logged.

    PYTHONPATH=src python experiments/gensim_arm_diagnose.py /work/shared/gensim \
        --out experiments/results/gensim-arm [--classes A,B]

A measuring tool, not part of the package: each class runs in GenSim's own Environment with its
oracle (experiments/gensim_arm_diagnose_runner.py) in the throwaway reference virtualenv under
bubblewrap, exactly as experiments/gensim_reference.py runs it, on the same seeds (0, 2, 4, 6).
Writes OUT/diagnosis.jsonl (one line per class: its episodes, each action's record) and
OUT/diagnosis.md (per class and seed: what ended the episode, placement errors, objects knocked).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gensim_reference import SEEDS, bwrap_argv, ensure_venv, task_classes  # noqa: E402

RUNNER = Path(__file__).resolve().parent / "gensim_arm_diagnose_runner.py"
# the classes GenSim's env rejects and this project (tip) passed, experiments/results/gensim-conformance/table.md
DEFAULT = ("BuildHouse", "BuildWheel", "CodeBallOnLine", "ColorCoordinatedCylinderPyramid",
           "ColorCoordinatedCylinderStandStack", "ColorCoordinatedCylindersInBoxes", "ManipulatingTwoRopes",
           "SymmetricBlockStandAssembly", "SweepingPiles")


def run(unit: dict, checkout: Path, venv: Path, timeout: float) -> list[dict]:
    argv = bwrap_argv(checkout) + [str(venv / "bin" / "python"), "-B", str(RUNNER), str(checkout.resolve()),
                                   unit["module"], unit["class"], *map(str, SEEDS)]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout).stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
    return [json.loads(line.split(" ", 1)[1]) for line in out.splitlines() if line.startswith("GENSIM_DIAG_EPISODE ")]


def ending(ep: dict) -> str:
    """What ended an episode, in words."""
    if ep.get("error"):
        return "error: " + ep["error"]
    if not ep["actions"]:
        return "no action"
    last = ep["actions"][-1]
    if last["act"] is None:
        return "the oracle saw no object to pick (goals cleared)"
    if last["timeouts"]:
        t = last["timeouts"][-1]
        return f"movej timeout (joints {t['max_joint_gap']} rad off after {t['steps']} steps)"
    if last["goals_after"] == 0:
        return "goals done"
    if not last["done"]:
        return "max_steps"
    return "done"


def summary(rec: dict) -> list[str]:
    lines = []
    for ep in rec["episodes"]:
        acts = ep["actions"]
        errs = [a["place_err_mm"] for a in acts if a.get("place_err_mm") is not None]
        misses = sum(1 for a in acts if a["act"] is not None and a.get("grasp") is False)
        wrong = sum(1 for a in acts if a.get("held") is not None and a.get("meant") is not None and a["held"] != a["meant"])
        knocked = sum(len(a["disturbed"]) for a in acts)
        tips = sum(1 for a in acts if (a.get("held_tilt") or 0) > 20)
        med = f"{statistics.median(errs):.1f}" if errs else "-"
        mx = f"{max(errs):.1f}" if errs else "-"
        lines.append(f"| {rec['class']} | {ep['seed']} | {ep['reward']:.2f} | {len(acts)} | {ending(ep)} | {med} / {mx} "
                     f"| {misses} | {wrong} | {tips} | {knocked} |")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout")
    ap.add_argument("--out", default="experiments/results/gensim-arm")
    ap.add_argument("--venv", default=str(Path.home() / ".cache/roboinstruct/gensim-ref-venv"))
    ap.add_argument("--classes", default=",".join(DEFAULT))
    ap.add_argument("--timeout", type=float, default=600.0)
    args = ap.parse_args(argv)
    checkout, out, venv = Path(args.checkout), Path(args.out), Path(args.venv).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    ensure_venv(venv)
    wanted = args.classes.split(",")
    units = {u["class"]: u for u in task_classes(checkout) if u["class"] in wanted}
    path = out / "diagnosis.jsonl"
    done = {}
    if path.exists():
        done = {json.loads(line)["class"]: json.loads(line) for line in path.read_text().splitlines() if line.strip()}
    for name in wanted:
        if name in done or name not in units:
            continue
        episodes = run(units[name], checkout, venv, args.timeout)
        done[name] = {"class": name, "file": units[name]["file"], "episodes": episodes}
        with path.open("a") as fh:
            fh.write(json.dumps(done[name]) + "\n")
        print(f"{name}: {[e['reward'] for e in episodes]}", file=sys.stderr, flush=True)
    rows = ["| class | seed | reward | actions | what ended it | place error mm (median / max) | failed grasps "
            "| wrong object held | held object tipped | others knocked |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name in wanted:
        if name in done:
            rows += summary(done[name])
    (out / "diagnosis.md").write_text(
        "# GenSim's own oracle on the tasks its environment rejects: what each episode did\n\n"
        "Written by experiments/gensim_arm_diagnose.py (GenSim's Environment, UR5 + suction, hz=480, seeds "
        f"{', '.join(map(str, SEEDS))}; every seed run, no early stop). 'others knocked': objects other than "
        "the held one that moved > 1 cm or tipped > 20 degrees during an action, summed over actions.\n\n"
        + "\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
