"""What experiments/policy_gensim.py writes: OUT/table.{md,json,html} (the rows, every named task with
its status, the per-task evaluations) and OUT/manifest.json (config, commits, versions, wall times)."""

from __future__ import annotations

import json
import platform
import subprocess
import time
from pathlib import Path

TASK_COLS = ("split", "name", "file", "status", "why")


def key(label: str) -> str:
    """A row label as a file name: `base + GPT_5` -> `base-gpt-5`."""
    out = "".join(c if c.isalnum() else "-" for c in label.lower()).strip("-")
    while "--" in out:
        out = out.replace("--", "-")
    return out


def _why(e: dict) -> str:
    if e["status"] == "unresolved":
        return "no such name in GenSim's registry of this checkout"
    if e["status"] == "several-classes":
        return f"{e['file']} defines {e['classes']} classes: this project's static check takes one Task class per file"
    if e["status"] == "rejected":
        g = e.get("gensim") or {}
        return f"GenSim's rule here: {g.get('stage')}: {g.get('reason')}"[:200]
    if e["status"] == "no-demonstrations":
        return "accepted, but no oracle episode succeeded while recording demonstrations"
    near = e.get("nearest_training_task")
    return f"nearest training task {Path(near['file']).stem} at {near['similarity']:.2f}" if near else ""


def task_rows(splits: dict, unseen: list) -> list[dict]:
    out = [{"split": s, "name": e["name"], "file": e["file"] or "", "status": e["status"], "why": _why(e)}
           for s, es in splits.items() for e in es]
    return out + [{"split": "unseen", "name": e["name"], "file": e["file"] or "", "status": e["status"], "why": _why(e)}
                  for e in unseen]


def per_task(out: Path, rows: list[dict]) -> tuple[list[str], list[list]]:
    """Mean reward and successes per evaluated task (columns: rows), from OUT/evals/."""
    evals = {r["row"]: json.loads((out / "evals" / f"{key(r['row'])}.json").read_text()) for r in rows}
    cols = ["part", "task"] + [r["row"] for r in rows]
    table = []
    first = evals[rows[0]["row"]]
    for part in ("base", "unseen"):
        for i, t in enumerate(first[part]):
            cells = []
            for r in rows:
                x = evals[r["row"]][part][i]
                cells.append(f"{x['reward_mean']:.2f} ({x['success']}/{x['episodes']})")
            table.append([part, Path(t["task"]).stem, *cells])
    return cols, table


def _md_table(cols: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)] + \
           ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]


def write(out: Path, cfg: dict, rows: list[dict], splits: dict, unseen: list, choice: dict) -> None:
    from roboinstruct.report import Report, Table, Text

    cols = [c for c in rows[0] if not c.startswith("_")]
    tasks = task_rows(splits, unseen)
    pcols, ptable = per_task(out, rows)
    md = [f"# GenSim's splits -> a multi-task policy ({cfg.get('scale', '')})", "", cfg.get("note", "").strip(), "",
          "Reward: GenSim's metric (each goal's share of its objects in place, partial credit), mean over episodes, "
          "95% cluster bootstrap over tasks. Success: GenSim's reward > 0.99, 95% Wilson interval pooled over "
          "episodes. Training steps count optimizer steps x batch (samples drawn: a task uniformly, then one of its "
          "demonstration steps); demos count the kept oracle episodes of the row's training tasks.", ""]
    md += _md_table(cols, [[r[c] for c in cols] for r in rows])
    md += ["", "## Per task: mean reward (successes/episodes)", ""] + _md_table(pcols, ptable)
    md += ["", "## Every named task", "", f"Unseen tasks: {choice['rule']} ({choice['pool']} in no training split, "
           f"{choice['below_similarity']} below the similarity bound, {choice['tried']} tried).", ""]
    md += _md_table(list(TASK_COLS), [[t[c] for c in TASK_COLS] for t in tasks])
    (out / "table.md").write_text("\n".join(md) + "\n")
    (out / "table.json").write_text(json.dumps({"config": cfg, "rows": rows, "tasks": tasks, "unseen_choice": choice,
                                                "per_task": {"columns": pcols, "rows": ptable}}, indent=1))
    rep = Report("GenSim's splits -> a multi-task policy", meta={"scale": cfg.get("scale", "")})
    rep.add(Text("Setup", cfg.get("note", "")))
    rep.add(Table("Rows (reward: 95% cluster bootstrap over tasks; success: 95% Wilson)", cols,
                  [[r[c] for c in cols] for r in rows]))
    rep.add(Table("Per task: mean reward (successes/episodes)", pcols, ptable))
    rep.add(Table("Every named task", list(TASK_COLS), [[t[c] for c in TASK_COLS] for t in tasks]))
    rep.write(out / "table.html")


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def manifest(out: Path, cfg: dict, config_path: str, splits: dict, unseen: list, choice: dict,
             stages: dict, wall: float) -> None:
    """OUT/manifest.json; each invocation's wall times are appended (a resumed run adds one entry)."""
    from importlib.metadata import PackageNotFoundError, version

    from roboinstruct.tabletop.tasks.gensim_dataset import checkout_identity
    from roboinstruct.tabletop.tasks.split import read_checkout

    path = out / "manifest.json"
    old = json.loads(path.read_text()) if path.is_file() else {}
    versions = {"python": platform.python_version()}
    for pkg in ("roboinstruct", "torch", "pybullet", "numpy"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = "absent"
    root = Path(cfg["gensim"])
    runs = old.get("runs", []) + [{"finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                   "wall_seconds": wall, "stage_seconds": stages,
                                   "roboinstruct_commit": _git("rev-parse", "HEAD"),
                                   # tracked changes outside this run's own output folder
                                   "dirty": bool(_git("status", "--porcelain", "--untracked-files=no", "--", ".",
                                                      f":(exclude){out}"))}]
    data = {"config_file": config_path, "config": cfg, "versions": versions,
            "checkout": checkout_identity(root, read_checkout(root)), "unseen_choice": choice,
            "tasks": task_rows(splits, unseen), "command": f"python experiments/policy_gensim.py {config_path}",
            "runs": runs, "wall_seconds_total": round(sum(r["wall_seconds"] for r in runs), 1)}
    path.write_text(json.dumps(data, indent=1))
