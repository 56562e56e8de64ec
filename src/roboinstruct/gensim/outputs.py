"""A task-generation run's outputs, rebuilt from its records: statistics, the fine-tuning
dataset (JSONL + Parquet, rows `roboinstruct finetune` reads), card, manifest, and an HTML
report with a start/end picture of every accepted task (rendered in sandbox workers).
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from ..artifacts import atomic_write, versions, write_json
from ..core.intervals import wilson_ci
from ..core.similarity import tokenize
from ..report import BarChart, Figures, Report, Table, Text
from .config import GensimConfig

STATIC = ("code", "parse", "sandbox")
RUNTIME = STATIC + ("instantiate", "reset", "unsupported", "assets", "templates", "goals", "matches", "rewards",
                    "language", "workspace", "overlap", "stable", "trivial")
HZ = 240


@dataclass(frozen=True)
class GensimRecords:
    """What a run's outputs are rebuilt from, read once from its records (`GensimRun.records()`):
    the outputs never reach back into the run."""
    cfg: GensimConfig
    fingerprint: str
    dir: Path
    trials: list  # the trial records, in trial order
    accepted: list  # library.jsonl's rows
    calls: list  # the recorded model calls (usage)
    base: list  # the starting library's entries (dataset_base)


def _rate(k: int, n: int) -> dict:
    lo, hi = wilson_ci(k, n)
    return {"k": k, "n": n, "rate": round(k / n, 4) if n else None, "ci95": [lo, hi]}


def diversity(rows: list[dict]) -> dict:
    """1 - mean pairwise asset IoU (over assets actually loaded) and distinct description bigrams."""
    pairs = list(combinations([set(r["assets"]) for r in rows], 2))
    iou = [len(a & b) / len(a | b) for a, b in pairs if a | b]
    grams = [tuple(t[i:i + 2]) for r in rows for t in [tokenize(r["description"])] for i in range(len(t) - 1)]
    return {"asset_diversity": round(1 - sum(iou) / len(iou), 4) if iou else None,
            "description_bigram_diversity": round(len(set(grams)) / len(grams), 4) if grams else None}


def stats(rec: GensimRecords) -> dict:
    tried = [t for t in rec.trials if t["status"] != "done"]
    attempts = [a for t in tried for a in t.get("attempts", [])]
    accepted = list(rec.accepted)
    usage = Counter()
    for c in rec.calls:
        usage.update(c.get("usage", {}))
    sim_s = sum(a.get("sim_steps", 0) for a in attempts) / HZ
    wall = sum(t.get("wall_s", 0) for t in tried)
    n_acc = sum(t["status"] == "accepted" for t in tried)
    return {
        "trials": len(tried),
        "accepted": _rate(n_acc, len(tried)),
        "rejected_at": dict(Counter(t["stage"] for t in tried if t["status"] == "rejected")),
        "code_attempts": len(attempts),
        # GenSim's rates, per code attempt: syntax (parses and passes the sandbox), runtime (runs and
        # declares well-formed goals), completion (the oracle solves it on enough seeds)
        "syntax_pass": _rate(sum(a["stage"] not in STATIC for a in attempts), len(attempts)),
        "runtime_pass": _rate(sum(a["stage"] not in RUNTIME for a in attempts), len(attempts)),
        "completion_pass": _rate(sum(a["status"] == "pass" for a in attempts), len(attempts)),
        "first_attempt_pass": _rate(sum(a["status"] == "pass" for a in attempts if a["round"] == 0),
                                    sum(a["round"] == 0 for a in attempts)),
        "library_growth": [t["library_after"] for t in tried],
        "diversity": diversity(accepted),
        "tokens": {"prompt": usage["prompt"], "completion": usage["completion"]},
        "per_accepted": {"tokens": round((usage["prompt"] + usage["completion"]) / n_acc) if n_acc else None,
                         "sim_seconds": round(sim_s / n_acc, 2) if n_acc else None,
                         "wall_seconds": round(wall / n_acc, 1) if n_acc else None},
    }


def dataset_rows(rec: GensimRecords) -> list[dict]:
    out = []
    if rec.cfg.dataset_base:
        for e in rec.base:
            out.append({"id": e.name, "instruction": f"{e.name}: {e.description}", "program": e.code,
                        "name": e.name, "description": e.description, "assets": e.assets, "trial": -1,
                        "repair_round": 0})
    for r in rec.accepted:
        code = (rec.dir / r["file"]).read_text()
        out.append({"id": r["name"], "instruction": f"{r['name']}: {r['description']}", "program": code,
                    "name": r["name"], "description": r["description"], "assets": r["assets"],
                    "trial": r["lineage"]["trial"], "repair_round": r["lineage"]["repair_round"]})
    return out


def _pictures(rec: GensimRecords, rows: list[dict]) -> dict[str, str]:
    """name -> relative PNG path; renders the missing ones in one sandbox worker."""
    from ..sandbox import WorkerPool
    from ..tabletop.validate.pictures import render_request

    todo = [r for r in rows if not (rec.dir / "pictures" / f"{r['id']}.png").exists()]
    if todo:
        jobs = [render_request(r["program"], rec.cfg.seed, "png", 120) for r in todo]
        with WorkerPool(rec.cfg.workers or 2, memory_mb=1024, cpu_seconds=120) as pool:
            for i, result in pool.run(jobs):
                if "image" in result:
                    atomic_write(rec.dir / "pictures" / f"{todo[i]['id']}.png", base64.b64decode(result["image"]))
    return {r["id"]: f"pictures/{r['id']}.png" for r in rows if (rec.dir / "pictures" / f"{r['id']}.png").exists()}


def card(rec: GensimRecords, rows: list[dict], s: dict) -> str:
    lines = ["---", "task_categories: [text-generation]", "tags: [robotics, code, gensim, roboinstruct]",
             "configs:", "- config_name: default", "  data_files: dataset.jsonl", "---",
             f"# roboinstruct task library `gensim-{rec.fingerprint}`", "",
             f"{sum(r['trial'] >= 0 for r in rows)} tabletop tasks written by `{rec.cfg.model or rec.cfg.backend}` "
             f"in GenSim's loop (mode {rec.cfg.mode}), each validated in PyBullet on {rec.cfg.seeds} distinct "
             f"seeds{' and accepted by a critic' if rec.cfg.critic else ''}"
             + (f", plus the {sum(r['trial'] < 0 for r in rows)} tasks of the starting library (trial -1)"
                if rec.cfg.dataset_base else "") + ".", "",
             "Columns: `instruction` (name: description), `program` (the task file), `assets` (loaded), "
             "`trial`, `repair_round`. `roboinstruct finetune --data` reads it as is.", "",
             "## Statistics", "```json", json.dumps(s, indent=2), "```"]
    return "\n".join(lines) + "\n"


def report(rec: GensimRecords, rows: list[dict], s: dict, pictures: dict[str, str]) -> Report:
    rep = Report(f"GenSim run gensim-{rec.fingerprint}", meta={"mode": rec.cfg.mode, "trials": s["trials"],
                                                              "model": rec.cfg.model or rec.cfg.backend})
    rate = lambda r: f"{r['k']}/{r['n']} ({r['ci95'][0]:.2f}–{r['ci95'][1]:.2f})" if r["n"] else "–"
    rep.add(Table("Pass rates (95% Wilson intervals)", ["what", "passed / tried (95% CI)"], [
        ["trials accepted", rate(s["accepted"])], ["code attempts: syntax", rate(s["syntax_pass"])],
        ["code attempts: runtime", rate(s["runtime_pass"])], ["code attempts: completion", rate(s["completion_pass"])],
        ["first attempts passing validation", rate(s["first_attempt_pass"])]]))
    rep.add(BarChart("Library size after each trial", [(f"trial {i}", float(n))
                                                       for i, n in enumerate(s["library_growth"])], " tasks"))
    rep.add(BarChart("Where trials were rejected", [(k, float(v)) for k, v in sorted(s["rejected_at"].items())]))
    rep.add(Table("Trials", ["trial", "task", "status", "stage", "reason"], [
        [t["trial"], t.get("name", ""), t["status"], t.get("stage") or "", t.get("reason", "")[:200]]
        for t in rec.trials]))
    rep.add(Figures("Accepted tasks: start and end of the oracle episode (top and front views)",
                    [(pictures[r["id"]], f"{r['id']}: {r['description']}") for r in rows if r["id"] in pictures]))
    rep.add(Text("Statistics", json.dumps(s, indent=2), preformatted=True))
    return rep


def finish(rec: GensimRecords) -> dict:
    import pyarrow as pa

    from ..core.parquet import write_parquet

    rows = dataset_rows(rec)
    accepted_rows = [r for r in rows if r["trial"] >= 0]
    s = stats(rec)
    atomic_write(rec.dir / "dataset.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    columns = pa.schema([("id", pa.string()), ("instruction", pa.string()), ("program", pa.string()),
                         ("name", pa.string()), ("description", pa.string()), ("assets", pa.list_(pa.string())),
                         ("trial", pa.int64()), ("repair_round", pa.int64())])
    write_parquet(rows, rec.dir / "dataset.parquet", columns)
    atomic_write(rec.dir / "README.md", card(rec, rows, s))
    manifest = {"kind": "gensim", "fingerprint": rec.fingerprint, "config": rec.cfg.fingerprinted(),
                "versions": versions(["roboinstruct", "pybullet", "numpy"]), "stats": s,
                "outputs": ["library.jsonl", "tasks/", "dataset.jsonl", "dataset.parquet", "README.md",
                            "report.html"]}
    write_json(rec.dir / "manifest.json", manifest)
    report(rec, accepted_rows, s, _pictures(rec, accepted_rows)).write(rec.dir / "report.html")
    return manifest
