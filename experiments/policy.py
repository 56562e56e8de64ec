"""GenSim's claim at toy scale: demonstrations → a pick-and-place policy → success on held-out seeds.

    python experiments/policy.py experiments/policy-toy.yaml    # CPU, toy scale
    python experiments/policy.py experiments/policy-gpu.yaml    # GPU scale (more demos, steps, tasks)

Two studies, both with 95% Wilson intervals:
1. single task: success vs the number of demonstrations (e.g. 1, 10, 100);
2. multi-task: trained on the base tasks vs base + extra (generated) tasks, evaluated on held-out
   seeds of the training tasks and on held-out tasks never trained on.
Every step resumes: demonstrations are recorded once (resumable shards), a policy folder that
holds policy.json is not retrained, evaluations are cached in OUT/evals/. Writes
OUT/table.{md,json,html}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import yaml


def log(msg: str) -> None:
    print(f"[policy {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def demos_for(tasks: list[str], episodes: int, seed: int, out: Path) -> Path:
    from roboinstruct.tabletop.learning.demos import record
    from roboinstruct.tabletop.tasks.sources import collect

    summary = record(collect(tasks), episodes, seed, out)
    log(f"demos {out.name}: {summary['kept']} kept, {summary['failed']} failed")
    return out


def policy(data: list[Path], out: Path, train_cfg: dict, episodes: int | None = None) -> dict:
    from roboinstruct.tabletop.learning.train import TrainSettings, train

    if (out / "policy.json").is_file():
        return json.loads((out / "policy.json").read_text())
    log(f"training {out.name}")
    return train(data, out, TrainSettings(**train_cfg, episodes=episodes))


def evaluated(name: str, policy_dir: Path, tasks: list[str], episodes: int, out: Path) -> list[dict]:
    from roboinstruct.tabletop.learning.evaluate import evaluate
    from roboinstruct.tabletop.tasks.sources import collect

    cache = out / "evals" / f"{name}.json"
    if cache.is_file():
        return json.loads(cache.read_text())
    log(f"evaluating {name} on {len(tasks)} task(s) x {episodes} held-out seeds")
    res = evaluate(policy_dir, collect(tasks), episodes)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(res, indent=2))
    return res


def pooled(results: list[dict]) -> dict:
    from roboinstruct.core.intervals import wilson_ci

    k, n = sum(r["success"] for r in results), sum(r["episodes"] for r in results)
    lo, hi = wilson_ci(k, n)
    return {"success": k, "episodes": n, "rate": round(k / n, 3) if n else 0.0, "ci95": [lo, hi]}


def cell(p: dict) -> str:
    return f"{p['success']}/{p['episodes']} = {p['rate']:.2f} [{p['ci95'][0]:.2f}, {p['ci95'][1]:.2f}]"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config")
    args = ap.parse_args()
    cfg = yaml.safe_load(Path(args.config).read_text())
    out = Path(cfg["out"])
    out.mkdir(parents=True, exist_ok=True)
    rows, started = [], time.time()
    single = cfg.get("single")
    if single:
        data = demos_for([single["task"]], max(single["demos"]), cfg.get("seed", 0), out / "demos" / "single")
        for n in single["demos"]:
            t = time.time()
            p = policy([data], out / "policies" / f"single-{n}", cfg["train"], episodes=n)
            res = pooled(evaluated(f"single-{n}", out / "policies" / f"single-{n}", [single["task"]],
                                   single["eval_episodes"], out))
            rows.append({"study": "single task", "trained on": f"{single['task']}: {n} demos",
                         "evaluated on": f"{single['task']}, held-out seeds", "success [95% CI]": cell(res),
                         "train s": p["train_seconds"], "wall s": round(time.time() - t, 1)})
            write(out, cfg, rows)
    multi = cfg.get("multi")
    if multi:
        base = demos_for(multi["base"], multi["demos"], cfg.get("seed", 0), out / "demos" / "base")
        extra = demos_for(multi["extra"], multi["demos"], cfg.get("seed", 0), out / "demos" / "extra")
        for label, data in (("base", [base]), ("base + extra", [base, extra])):
            key = label.replace(" + ", "-plus-")
            p = policy(data, out / "policies" / key, cfg["train"])
            seen = pooled(evaluated(f"{key}-seen", out / "policies" / key, multi["base"], multi["eval_episodes"], out))
            held = pooled(evaluated(f"{key}-heldout", out / "policies" / key, multi["heldout"],
                                    multi["eval_episodes"], out))
            # what the row trained on, honestly: kept demonstrations (their transitions) and optimizer steps
            # x batch (`steps_seen` counts demonstration transitions, not training steps)
            trained_on = (f"{label} ({sum(p['episodes_per_task'].values())} demos, {p['steps_seen']} transitions; "
                          f"{p['settings']['steps']} steps x batch {p['settings']['batch']})")
            rows.append({"study": "multi-task", "trained on": trained_on,
                         "evaluated on": "base tasks, held-out seeds", "success [95% CI]": cell(seen),
                         "train s": p["train_seconds"], "wall s": ""})
            rows.append({"study": "multi-task", "trained on": label, "evaluated on": "held-out tasks",
                         "success [95% CI]": cell(held), "train s": "", "wall s": ""})
            write(out, cfg, rows)
    log(f"done in {time.time() - started:.0f} s")
    print((out / "table.md").read_text())
    return 0


def write(out: Path, cfg: dict, rows: list[dict]) -> None:
    from roboinstruct.report import Report, Table, Text

    cols = list(rows[0])
    md = [f"# Policy experiment ({cfg.get('scale', '')})", "", cfg.get("note", "").strip(), "",
          "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    md += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    (out / "table.md").write_text("\n".join(md) + "\n")
    (out / "table.json").write_text(json.dumps({"config": cfg, "rows": rows}, indent=2))
    rep = Report("Tabletop policy: demonstrations → success on held-out seeds", meta={"scale": cfg.get("scale", "")})
    rep.add(Text("Setup", cfg.get("note", "")))
    rep.add(Table("Success rates (95% Wilson intervals)", cols, [[r[c] for c in cols] for r in rows]))
    rep.write(out / "table.html")


if __name__ == "__main__":
    sys.exit(main())
