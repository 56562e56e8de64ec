"""GenSim's own verdict per task class: its Environment and oracle, as a measuring tool.

    PYTHONPATH=src python experiments/gensim_reference.py /work/shared/gensim \
        --out experiments/results/gensim-conformance [--venv ~/.cache/roboinstruct/gensim-ref-venv]

Each task class of the checkout (every class in `cliport/generated_tasks/*.py` and in the
hand-written task files of `cliport/tasks/`) runs in GenSim's own `Environment` (UR5 + suction,
hz=480) with GenSim's oracle, GenSim's demos.py loop (experiments/gensim_reference_runner.py), on
the seeds 0, 2, 4, 6 (demos.py's train seeds). GenSim's acceptance rule: an episode succeeds when
its summed reward > 0.99; a class is accepted when >= 2 of its 4 seeds succeed. Seeds run in order
and stop once the rule is decided (2 successes, or 2 no longer reachable).

The checkout's files are untrusted code here too: every class runs in a throwaway virtualenv
outside the repository (pybullet 3.2.7, numpy<2, opencv-python-headless, transforms3d, six, gym,
imageio from PyPI; the modules GenSim's utils only import are stand-ins, listed in the manifest)
under bubblewrap: no network, the root file system (checkout included) read-only, a private /tmp,
its own PID/IPC/UTS namespaces, killed with its parent. It is not part of the package.

Resumable: one JSON line per class in OUT/gensim_env.jsonl as it finishes; a restart skips the
classes there. Classes run in a fixed shuffled order (`--order-seed`), so a run stopped early has
measured a uniform sample. OUT/gensim_env.manifest.json: the checkout's content hash, versions,
seeds, rule, wall time, stand-ins.

`--cpu-clock`: GenSim's 5-second limits (a `movej`, the settling after an action) count this
process's CPU seconds instead of wall seconds (the runner's `--cpu-clock`): the verdict of GenSim's
physics on an idle core, whatever shares the machine. Its records go to OUT/gensim_env_cpu_clock.jsonl
(+ .manifest.json); `--only-rejected` runs only the classes OUT/gensim_env.jsonl rejects (the wall
clock can only have ended an accepted class's episodes early, never made one pass).
`gensim_join.load_reference` is every consumer's view: a class's CPU-clock record where it has one,
else its wall-clock one.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import random
import subprocess
import sys
import time
from pathlib import Path

SEEDS = (0, 2, 4, 6)
NEED = 2
SUCCESS = 0.99
RULE = "an episode succeeds when its summed reward > 0.99 (GenSim's demos.py); a class is accepted when >= 2 of 4 seeds succeed"
PACKAGES = ("pybullet==3.2.7", "numpy<2", "opencv-python-headless", "transforms3d", "six", "gym", "imageio", "trimesh",
            "rtree")
RUNNER = Path(__file__).resolve().parent / "gensim_reference_runner.py"
NOT_TASK_FILES = {"__init__.py", "task.py", "cameras.py", "grippers.py", "primitives.py"}


def task_classes(checkout: Path) -> list[dict]:
    """Every task class of the checkout, read by AST (nothing of the checkout is imported here)."""
    units = []
    for folder in ("cliport/tasks", "cliport/generated_tasks"):
        for path in sorted((checkout / folder).glob("*.py")):
            if path.name in NOT_TASK_FILES:
                continue
            tree = ast.parse(path.read_text(errors="replace"))
            classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
            module = f"{folder.replace('/', '.')}.{path.stem}"
            for name in classes:
                units.append({"id": f"{folder}/{path.name}::{name}", "file": f"{folder}/{path.name}",
                              "module": module, "class": name, "kind": folder.split("/")[-1]})
    return units


def registered_names(checkout: Path) -> dict[str, str]:
    """GenSim's `tasks.names` (hand-written part): task name -> class name, read by AST."""
    tree = ast.parse((checkout / "cliport/tasks/__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "names":
            return {k.value: v.id for k, v in zip(node.value.keys, node.value.values)
                    if isinstance(k, ast.Constant) and isinstance(v, ast.Name)}
    return {}


def content_hash(checkout: Path) -> str:
    """The checkout has no .git here: a hash of its task and environment code identifies it."""
    h = hashlib.sha256()
    for folder in ("cliport/tasks", "cliport/generated_tasks", "cliport/environments", "cliport/utils"):
        for path in sorted((checkout / folder).glob("*.py")):
            h.update(path.relative_to(checkout).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def ensure_venv(venv: Path) -> dict:
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    out = subprocess.run([str(py), "-c", "import json, importlib.metadata as m, sys; print(json.dumps("
                          "{'python': sys.version.split()[0], **{p: m.version(p) for p in "
                          "('pybullet','numpy','opencv-python-headless','transforms3d','gym','imageio','six','trimesh','rtree')}}))"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def bwrap_argv(checkout: Path) -> list[str]:
    return ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/", "/",
            "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--chdir", "/tmp",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp",
            "--setenv", "OMP_NUM_THREADS", "1", "--setenv", "PYTHONDONTWRITEBYTECODE", "1"]


def run_class(unit: dict, checkout: Path, venv: Path, timeout: float, obs_images: bool, shadows: bool = False,
              cpu_clock: bool = False, trace_seeds: tuple | None = None) -> dict:
    """One class's verdict (seeds run until the rule is decided); `trace_seeds`: those seeds, all of
    them, each action traced (what GenSim's primitive did: timeouts, grasps, resting errors)."""
    argv = bwrap_argv(checkout) + [str(venv / "bin" / "python"), "-B", str(RUNNER)] + (["--cpu-clock"] if cpu_clock else [])
    argv += ([] if obs_images else ["--no-obs-images"]) + ([] if shadows else ["--no-shadows"])
    argv += ["--trace", str(checkout.resolve())] if trace_seeds else ["--need", str(NEED), str(checkout.resolve())]
    argv += [unit["module"], unit["class"], *map(str, trace_seeds or SEEDS)]
    start = time.monotonic()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        stdout, timed_out, rc = proc.stdout, False, proc.returncode
    except subprocess.TimeoutExpired as exc:
        stdout = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        timed_out, rc = True, None
    wall = round(time.monotonic() - start, 2)
    result, episodes = None, []
    for line in stdout.splitlines():
        if line.startswith("GENSIM_REF_RESULT "):
            result = json.loads(line[len("GENSIM_REF_RESULT "):])
        elif line.startswith("GENSIM_REF_EPISODE "):
            episodes.append(json.loads(line[len("GENSIM_REF_EPISODE "):]))
    if result is None:
        result = {"episodes": episodes, "error": f"timed out after {timeout:.0f} s" if timed_out
                  else f"the runner ended with code {rc} and no result"}
    return {**unit, **decide(result["episodes"]), "episodes": result["episodes"], "error": result.get("error"),
            "timed_out": timed_out, "wall_seconds": wall, "max_steps": result.get("max_steps"),
            "standins": result.get("standins"), "obs_images": obs_images, "shadows": shadows,
            "clock": "cpu" if cpu_clock else "wall"}



WALL, CPU = "gensim_env.jsonl", "gensim_env_cpu_clock.jsonl"  # gensim_join.load_reference reads both
TRACE = "gensim_env_trace.jsonl"


def trace(units: list[dict], args, checkout: Path, venv: Path, path: Path, versions: dict) -> int:
    """Each named file's classes on every traced seed, one record per class (resumable by id), and
    the manifest beside it."""
    from roboinstruct.artifacts import RecordFile, write_json

    names = set(args.trace)
    chosen = [u for u in units if u["file"] in names or u["id"] in names]
    missing = names - {u["file"] for u in chosen} - {u["id"] for u in chosen}
    if missing:
        sys.exit(f"error: --trace {', '.join(sorted(missing))}: no task class in {checkout}; name files as "
                 "cliport/generated_tasks/NAME.py, or one class of a file as FILE::CLASS")
    seeds = tuple(range(0, 2 * args.trace_seeds, 2))
    records = RecordFile(path, key=("id",))
    for unit in chosen:
        if unit["id"] in records:
            continue
        rec = run_class(unit, checkout, venv, args.timeout * len(seeds) / len(SEEDS), args.obs_images, args.shadows,
                        True, seeds)
        records.append(rec)
        steps = [s for e in rec["episodes"] for s in e.get("trace", ())]
        print(f"{unit['id']}: {sum(r > SUCCESS for r in rec['rewards'])}/{len(seeds)} seeds; of {len(steps)} actions "
              f"{sum(s['timeout'] for s in steps)} timed out, {sum(s['grasp'] is False for s in steps)} grasps failed",
              file=sys.stderr, flush=True)
    records.close()
    done = list(RecordFile(path, key=("id",)))
    write_json(path.with_name(path.name.replace(".jsonl", ".manifest.json")), {
        "checkout": {"path_name": checkout.name, "content_hash": content_hash(checkout)},
        "traced": sorted(r["id"] for r in done), "seeds": list(seeds),
        "clock": "cpu: GenSim's 5 s limits count this process's CPU seconds",
        "what": "per action: step reward, GenSim's primitive timeout, its suction's check_grasp after the lift, the "
                "pick's offset from the object's centre, where the object was let go and came to rest against the "
                "pose the oracle's place meant for it, and (traces recorded since release_velocity exists) its velocity "
                "as it was let go (gensim_reference_runner.py --trace; read-only wrappers)",
        "venv": {"packages": list(PACKAGES), "versions": versions}, "isolation": " ".join(bwrap_argv(checkout)),
        "wall_seconds": round(sum(r.get("wall_seconds") or 0 for r in done)),
    })
    return 0


def drop_setup_errors(path: Path) -> int:
    """Forget the classes whose run failed for want of a module in the measuring venv (a fault of
    the tool, not of the task): they run again. Rewrites the file atomically; returns how many."""
    from roboinstruct.artifacts import atomic_write

    if not path.exists():
        return 0
    keep, dropped = [], 0
    for line in path.read_text().splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        errors = [rec.get("error") or ""] + [e.get("error") or "" for e in rec.get("episodes", [])]
        if any(e.startswith("ModuleNotFoundError") for e in errors):
            dropped += 1
        else:
            keep.append(line)
    if dropped:
        atomic_write(path, "".join(f"{line}\n" for line in keep))
    return dropped


def decide(episodes: list[dict]) -> dict:
    """GenSim's rule on the episodes run: accepted at NEED successes, rejected once out of reach."""
    passed = sum(e["reward"] > SUCCESS for e in episodes)
    left = len(SEEDS) - len(episodes)
    status = "accepted" if passed >= NEED else "rejected" if passed + left < NEED else "undecided"
    return {"status": status, "passed": passed, "rewards": [e["reward"] for e in episodes],
            "reason": reason(episodes, status)}


def reason(episodes: list[dict], status: str) -> str:
    if status == "accepted":
        return ""
    errors = [e["error"] for e in episodes if e.get("error")]
    if errors:
        return f"episode error: {errors[0]}"
    if not episodes:
        return "no episode ran"
    return "rewards " + ", ".join(f"{e['reward']:.2f}" for e in episodes) + " (needs > 0.99 on 2 of 4 seeds)"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout")
    ap.add_argument("--out", default="experiments/results/gensim-conformance")
    ap.add_argument("--venv", default=str(Path.home() / ".cache/roboinstruct/gensim-ref-venv"))
    ap.add_argument("--timeout", type=float, default=420.0, help="seconds per class (all its seeds)")
    ap.add_argument("--order-seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=None,
                    help="stop after this many classes (this invocation); 0: only rewrite the manifest")
    ap.add_argument("--obs-images", action="store_true",
                    help="render env.step's three camera observations too (GenSim's full cost; the oracle never reads them)")
    ap.add_argument("--shadows", action="store_true",
                    help="render with shadows (GenSim's full cost; depth and segmentation, all the oracle reads, are identical)")
    ap.add_argument("--cpu-clock", action="store_true",
                    help="GenSim's 5-second limits count CPU seconds (load-independent); records go to "
                         f"OUT/{CPU}")
    ap.add_argument("--only-rejected", action="store_true",
                    help=f"only the classes OUT/{WALL} rejects (with --cpu-clock: measure them again)")
    ap.add_argument("--trace", nargs="+", metavar="FILE[::CLASS]", default=None,
                    help="trace these task files' classes (or one class of a file) action by action on --trace-seeds (CPU clock), into "
                         f"OUT/{TRACE}: why GenSim's environment rejects what it rejects")
    ap.add_argument("--trace-seeds", type=int, default=8, help="seeds 0, 2, 4, ... traced per class")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from roboinstruct.artifacts import RecordFile, write_json

    checkout, out, venv = Path(args.checkout), Path(args.out), Path(args.venv).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    versions = ensure_venv(venv)
    units = task_classes(checkout)
    random.Random(args.order_seed).shuffle(units)
    if args.trace:
        return trace(units, args, checkout, venv, out / TRACE, versions)
    name = CPU if args.cpu_clock else WALL
    dropped = drop_setup_errors(out / name)
    if dropped:
        print(f"{dropped} classes failed for a module missing from the venv: run again", file=sys.stderr)
    records = RecordFile(out / name, key=("id",))
    if args.only_rejected:
        rejected = {r["id"] for r in RecordFile(out / WALL, key=("id",)) if r["status"] == "rejected"}
        units = [u for u in units if u["id"] in rejected]
    todo = [u for u in units if u["id"] not in records][: args.limit]
    print(f"{len(records)} classes done, {len(todo)} to run", file=sys.stderr, flush=True)
    for k, unit in enumerate(todo, 1):
        rec = run_class(unit, checkout, venv, args.timeout, args.obs_images, args.shadows, args.cpu_clock)
        records.append(rec)
        print(f"[{k}/{len(todo)}] {unit['id']}: {rec['status']} {rec['rewards']} {rec['wall_seconds']} s",
              file=sys.stderr, flush=True)
    records.close()
    manifest_path = out / name.replace(".jsonl", ".manifest.json")
    done = list(RecordFile(out / name, key=("id",)))
    write_json(manifest_path, {
        "checkout": {"path_name": checkout.name, "content_hash": content_hash(checkout)},
        "classes": len(units), "measured": len(done),
        "accepted": sum(r["status"] == "accepted" for r in done),
        "rejected": sum(r["status"] == "rejected" for r in done),
        "seeds": list(SEEDS), "rule": RULE, "early_stop": "seeds run in order until the rule is decided",
        "order_seed": args.order_seed, "only_rejected": args.only_rejected,
        "clock": "cpu: GenSim's 5 s limits count this process's CPU seconds" if args.cpu_clock else
                 "wall: GenSim's 5 s limits count wall seconds, as GenSim's code does", "obs_images": args.obs_images, "shadows": args.shadows,
        "cost_note": "env.step's observation images are not rendered and renders skip the shadow pass "
                     "(records before this was added: 'shadows' absent = rendered with shadows); neither "
                     "changes what the oracle, the task or the reward read, only seconds per episode",
        "registered_names": registered_names(checkout),
        "venv": {"packages": list(PACKAGES), "versions": versions,
                 "standins": sorted({s for r in done for s in (r.get("standins") or [])}) or
                 ["torch", "torchvision", "kornia", "meshcat", "matplotlib", "omegaconf", "yaml", "IPython"],
                 "standins_note": "imported by GenSim's utils/task files but never called by env/task/oracle "
                                  "code; stand-ins raise if used"},
        "isolation": " ".join(bwrap_argv(checkout)),
        "wall_seconds": round(sum(r.get("wall_seconds") or 0 for r in done)),  # per class, summed: resumes included
        "episodes": sum(len(r.get("episodes", [])) for r in done),
        "machine": "2 cores; this ran on one core shared with other work (wall seconds are inflated)",
    })
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
