"""GenSim's second claim on GenSim's own splits: do generated tasks make a multi-task policy better?

    python experiments/policy_gensim.py experiments/policy-gensim.yaml      # one CPU core, ~75 min
    python experiments/policy_gensim.py experiments/policy-gensim-gpu.yaml  # GenSim's scale

The config names a GenSim checkout (`gensim: ../shared/gensim`) and rows made of GenSim's split
files (`scripts/task_list/CLIPort_5.json`, `GPT_5.json`, ...), read at run time and resolved to the
checkout's task files by GenSim's task names (`tabletop.tasks.gensim_splits`). Every named task is
validated here in GenSim's dialect (`validate_many`, the two-children verdict) and kept when GenSim's
rule accepts it; an unresolved or rejected name stays in the table and the manifest, with why.
Unseen tasks: a seeded choice among the checkout's other tasks that GenSim's rule accepts here and
that are no near-copy of any training task (`gensim_splits.nearest` below `unseen.max_similarity`).

Training: `sample: tasks` (CLIPort's multi-task sampling: a task, then one of its steps), and each
row's optimizer steps = `steps_per_task` x its training tasks, so every base task gets the same
expected updates in every row; a row with `steps_as: LABEL` trains for that row's steps instead
(the equal-steps control). Evaluation: held-out seeds of the base tasks and of the unseen tasks,
GenSim's metric (mean reward with partial credit: a cluster bootstrap over tasks, 95%) and binary
success (GenSim's reward > 0.99; Wilson 95%, pooled over episodes).

Resumable: validation (OUT/validation.json), demonstrations (per task, resumable shards), a policy
folder holding policy.json, and each row's evaluation (OUT/evals/ROW.json) are reused. Writes
OUT/table.{md,json,html}, OUT/evals/*.json (per task, per seed) and OUT/manifest.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import yaml
from policy_gensim_report import key, manifest, write

STAGE_SECONDS: dict[str, float] = {}


def log(msg: str) -> None:
    print(f"[policy-gensim {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def timed(stage: str, fn, *args, **kw):
    t = time.time()
    try:
        return fn(*args, **kw)
    finally:
        STAGE_SECONDS[stage] = round(STAGE_SECONDS.get(stage, 0.0) + time.time() - t, 1)


# -- tasks: GenSim's names -> checkout files -> accepted here --------------------------------------------------

def validated(cands: list, cfg: dict, out: Path) -> dict[str, dict]:
    """file -> {accepted, gensim, strict} under GenSim's rule, cached by file and code hash."""
    from roboinstruct.tabletop.tasks.gensim_dataset import accepted
    from roboinstruct.tabletop.validate.run import validate_many
    from roboinstruct.tabletop.validate.taskcode import code_hash

    path = out / "validation.json"
    cache = json.loads(path.read_text()) if path.is_file() else {}
    todo = [c for c in cands if cache.get(c.file, {}).get("code_hash") != code_hash(c.source)]
    if todo:
        log(f"validating {len(todo)} task file(s) in GenSim's dialect, {cfg.get('validate_seeds', 8)} seeds each")
        verdicts = validate_many(todo, seeds=cfg.get("validate_seeds", 8), run_seed=cfg.get("seed", 0),
                                 workers=cfg.get("workers"))
        for c, v in zip(todo, verdicts):
            g = v.gensim_verdict or {}
            cache[c.file] = {"code_hash": code_hash(c.source), "accepted": accepted(v, "gensim"),
                             "gensim": {k: g.get(k) for k in ("status", "stage", "reason", "passed", "seeds")},
                             "strict": {"ok": v.ok, "stage": v.stage, "reason": v.reason}}
        path.write_text(json.dumps(cache, indent=1, sort_keys=True))
    return cache


def tasks_of(cfg: dict, out: Path):
    """(splits: split -> [entry], unseen: [entry], candidates by file, unseen choice record). An entry is
    a resolved name with its verdict and `use` (False: reported, not trained on or evaluated)."""
    from roboinstruct.tabletop.tasks.gensim_splits import nearest, registry, split_names
    from roboinstruct.tabletop.tasks.sources import collect

    checkout = Path(cfg["gensim"])
    lists, known = split_names(checkout), registry(checkout)
    used = [s for row in cfg["rows"] for s in row["splits"]]
    missing = sorted(set(used) - set(lists))
    if missing:
        raise SystemExit(f"{checkout}/scripts/task_list has no {', '.join(missing)} (it has {', '.join(lists)})")
    cands = {c.file: c for c in collect([], gensim=str(checkout))}

    def entries(names: list[str]) -> list[dict]:
        res = [known.get(n) for n in names]
        files = [r.file for r in res if r is not None and r.status == "resolved"]
        verdicts = validated([cands[f] for f in files], cfg, out)
        rows = []
        for n, r in zip(names, res):
            e = {"name": n, **(r.to_dict() if r else {"file": None, "cls": None, "classes": 0, "status": "unresolved"})}
            if e["status"] == "resolved":
                v = verdicts[e["file"]]
                e.update(gensim=v["gensim"], strict=v["strict"], status="accepted" if v["accepted"] else "rejected")
            e["name"] = n
            e["use"] = e["status"] == "accepted"
            rows.append(e)
        return rows

    splits = {s: entries(lists[s]) for s in dict.fromkeys(used)}
    train_names = {e["name"] for es in splits.values() for e in es}
    train_files = sorted({e["file"] for es in splits.values() for e in es if e["file"]})
    u = cfg["unseen"]
    pool = sorted(n for n, r in known.items() if r.status == "resolved" and n not in train_names
                  and r.file not in train_files)
    near = nearest(checkout, [known[n].file for n in pool], train_files)
    far = [n for n in pool if near[known[n].file][0] < u.get("max_similarity", 0.40)]
    order = far[:]
    random.Random(u.get("seed", 0)).shuffle(order)
    unseen: list[dict] = []
    for n in order:  # validate in the seeded order until enough are accepted: each rejection is kept
        if sum(e["use"] for e in unseen) >= u["count"]:
            break
        e = entries([n])[0]
        e["nearest_training_task"] = {"similarity": near[known[n].file][0], "file": near[known[n].file][1]}
        unseen.append(e)
    choice = {"rule": f"seeded shuffle (seed {u.get('seed', 0)}) of the checkout's resolved tasks in no training split "
                      f"and below {u.get('max_similarity', 0.40)} content similarity to every training task file; "
                      f"validated in that order until {u['count']} were accepted under GenSim's rule",
              "pool": len(pool), "below_similarity": len(far), "tried": len(unseen)}
    return splits, unseen, cands, choice


# -- demonstrations, training, evaluation ------------------------------------------------------------------------

def demos(entry: dict, cands: dict, cfg: dict, out: Path) -> dict:
    from roboinstruct.tabletop.learning.demos import record

    folder = out / "demos" / Path(entry["file"]).stem
    s = timed("demos", record, [cands[entry["file"]]], cfg["demos"], cfg.get("seed", 0), folder,
              workers=cfg.get("workers"))
    log(f"demos {entry['name']}: {s['kept']} kept, {s['failed']} failed")
    return {"folder": folder, "kept": s["kept"], "failed": s["failed"]}


def trained(row: dict, data: list[Path], steps: int, cfg: dict, out: Path) -> dict:
    from roboinstruct.tabletop.learning.train import TrainSettings, train

    folder = out / "policies" / key(row["label"])
    if (folder / "policy.json").is_file():
        return json.loads((folder / "policy.json").read_text())
    log(f"training {row['label']}: {steps} steps x batch {cfg['train']['batch']}")
    settings = TrainSettings(**{k: v for k, v in cfg["train"].items() if k != "steps_per_task"}, steps=steps)
    def progress(step: int, total: int, loss: float) -> None:
        if step % 25 == 0 or step == total:
            log(f"  {row['label']}: step {step}/{total}, loss {loss:.3f}")

    return timed("train", train, data, folder, settings, progress=progress)


def evaluated(row: dict, seen: list, unseen: list, cfg: dict, out: Path) -> dict:
    from roboinstruct.tabletop.learning.evaluate import evaluate

    path = out / "evals" / f"{key(row['label'])}.json"
    if path.is_file():
        return json.loads(path.read_text())
    folder = out / "policies" / key(row["label"])
    res = {}
    for part, cands in (("base", seen), ("unseen", unseen)):
        log(f"evaluating {row['label']} on {len(cands)} {part} task(s) x {cfg['eval_episodes']} held-out seeds")
        t = time.time()
        res[part] = timed("eval", evaluate, folder, cands, cfg["eval_episodes"], seed=cfg.get("seed", 0),
                          workers=cfg.get("workers"))
        res[f"{part}_seconds"] = round(time.time() - t, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"row": row["label"], **res}, indent=1))
    return json.loads(path.read_text())


def pooled(per_task: list[dict]) -> dict:
    """GenSim's metric (mean reward, cluster bootstrap over tasks) and binary success (Wilson, pooled)."""
    from roboinstruct.core.intervals import pass_at_1_ci, wilson_ci

    rewards = {f"{t['task']}/{s}": r for t in per_task for s, r in zip(t["seeds"], t["rewards"])}
    k, n = sum(t["success"] for t in per_task), sum(t["episodes"] for t in per_task)
    mean = sum(rewards.values()) / len(rewards) if rewards else 0.0
    return {"reward": round(mean, 3), "reward_ci95": list(pass_at_1_ci(rewards)), "success": k, "episodes": n,
            "rate": round(k / n, 3) if n else 0.0, "success_ci95": list(wilson_ci(k, n)), "tasks": len(per_task)}


def reward_cell(p: dict) -> str:
    return f"{p['reward']:.2f} [{p['reward_ci95'][0]:.2f}, {p['reward_ci95'][1]:.2f}]"


def success_cell(p: dict) -> str:
    return f"{p['success']}/{p['episodes']} = {p['rate']:.2f} [{p['success_ci95'][0]:.2f}, {p['success_ci95'][1]:.2f}]"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config")
    args = ap.parse_args()
    cfg = yaml.safe_load(Path(args.config).read_text())
    if cfg.get("threads"):
        import torch

        torch.set_num_threads(int(cfg["threads"]))
    out = Path(cfg["out"])
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    splits, unseen, cands, choice = timed("resolve+validate", tasks_of, cfg, out)
    base = cfg["base"]
    by_name = {e["name"]: e for es in splits.values() for e in es}
    data = {}
    for name, e in by_name.items():
        if e["use"]:
            data[name] = demos(e, cands, cfg, out)
            if not data[name]["kept"]:
                e.update(use=False, status="no-demonstrations")
    seen_c = [cands[e["file"]] for e in splits[base] if e["use"]]
    unseen_c = [cands[e["file"]] for e in unseen if e["use"]]
    rows, steps_of = [], {}
    for row in cfg["rows"]:
        names = list(dict.fromkeys(e["name"] for s in row["splits"] for e in splits[s] if e["use"]))
        steps = steps_of[row["steps_as"]] if row.get("steps_as") else cfg["train"]["steps_per_task"] * len(names)
        steps_of[row["label"]] = steps
        p = trained(row, [data[n]["folder"] for n in names], steps, cfg, out)
        ev = evaluated(row, seen_c, unseen_c, cfg, out)
        per_base = [v for t, v in p.get("samples_per_task", {}).items()
                    if t in {by_name[n]["cls"] for n in names if n in {e["name"] for e in splits[base]}}]
        listed = sum(len(splits[s]) for s in row["splits"])
        rows.append({"row": row["label"], "splits": " + ".join(row["splits"]),
                     "training tasks": f"{len(names)} of {listed} listed",
                     "demos": sum(data[n]["kept"] for n in names),
                     "training steps": f"{p['settings']['steps']} x batch {p['settings']['batch']} = {p['samples']} samples",
                     "samples per base task": round(sum(per_base) / len(per_base)) if per_base else 0,
                     "base: reward [95% CI]": reward_cell(pooled(ev["base"])),
                     "base: success [95% CI]": success_cell(pooled(ev["base"])),
                     "unseen: reward [95% CI]": reward_cell(pooled(ev["unseen"])),
                     "unseen: success [95% CI]": success_cell(pooled(ev["unseen"])),
                     "train s": p["train_seconds"], "eval s": round(ev["base_seconds"] + ev["unseen_seconds"], 1),
                     "_pooled": {"base": pooled(ev["base"]), "unseen": pooled(ev["unseen"])}})
        write(out, cfg, rows, splits, unseen, choice)
    manifest(out, cfg, args.config, splits, unseen, choice, STAGE_SECONDS, round(time.time() - started, 1))
    log(f"done in {time.time() - started:.0f} s")
    print((out / "table.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
