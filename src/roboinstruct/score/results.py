"""A score's results.json (numbers + full config + lineage), manifest.json and report.html.

results.json carries everything a table cell needs to be traced back: the config, the
model's content identity, and for a fine-tuned model the adapter and dataset
fingerprints. manifest.json is the lineage record alone (the same shape every artifact
of the chain has: kind, fingerprint, inputs, files).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..artifacts import atomic_write, hash_file, versions
from ..core.intervals import METHOD as CI_METHOD
from ..core.intervals import difference_ci, pass_at_1_ci
from ..benchmark.model import VERDICTS

KIND = "roboinstruct.score"
INVALID = ("PythonError", "RobotExecutionError")  # the paper's "invalid program" rate


def invalid_rate(breakdown: dict, total: int) -> float:
    return sum(breakdown.get(v, 0) for v in INVALID) / total if total else 0.0


@dataclass(frozen=True)
class ScoreRecords:
    """What a score's outputs are built from (`ScoreRun.records(rows)`): its settings, model, task
    selection and evaluated rows; the outputs never reach back into the run."""
    out: Path
    cfg: Any  # ScoreConfig
    fingerprint: str
    model: Any  # models.ModelRef
    task_names: list
    prompts: int
    rows: list


def write_results(rec: ScoreRecords, seconds: float) -> dict:
    from ..benchmark import summarize

    rows = rec.rows
    s = summarize(rows)
    label = rec.model.spec + (" greedy" if rec.cfg.temperature == 0 else f" T={rec.cfg.temperature} n={rec.cfg.n}")
    results = {
        "kind": KIND,
        "fingerprint": rec.fingerprint,
        "label": label,
        "config": asdict(rec.cfg),
        "model": rec.model.describe(),
        "lineage": {"score_fingerprint": rec.fingerprint, **rec.model.lineage},
        "tasks": {"spec": rec.cfg.tasks, "names": rec.task_names, "prompts": rec.prompts},
        "pass@1": s["overall"],
        "pass@1_ci95": list(pass_at_1_ci(s["per_prompt"])),
        "ci_method": CI_METHOD,
        "invalid_rate": invalid_rate(s["breakdown"], s["programs"]),
        "per_task": s["per_task"],
        "per_prompt": s["per_prompt"],
        "breakdown": s["breakdown"],
        "task_breakdown": s["task_breakdown"],
        "programs": s["programs"],
        **({"stage_breakdown": dict(Counter(r["stage"] for r in rows))} if rows and "stage" in rows[0] else {}),
        "versions": versions(("roboinstruct", "torch", "transformers", "peft", "xllamacpp", "httpx")),
        "seconds_this_invocation": round(seconds, 1),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    text = json.dumps(results, indent=2)
    atomic_write(rec.out / "results.json", text)
    files = {name: hash_file(rec.out / name)
             for name in ("results.json", "completions.jsonl", "evaluated.jsonl") if (rec.out / name).exists()}
    manifest = {"kind": KIND, "fingerprint": rec.fingerprint, "model": rec.model.describe(),
                "lineage": results["lineage"], "config": results["config"], "files": files,
                "created": results["created"]}
    atomic_write(rec.out / "manifest.json", json.dumps(manifest, indent=2))
    write_html(results, rec.out / "report.html")
    return results


def write_html(results: dict, path: Path) -> Path:
    from ..report import BarChart, Report, Table

    b, tb = results["breakdown"], results["task_breakdown"]
    meta = {"model": results["model"]["spec"], "pass@1": f"{results['pass@1']:.3f} {_ci(results)}",
            "invalid": f"{results['invalid_rate']:.1%}", "programs": results["programs"],
            "fingerprint": results["fingerprint"]}
    meta.update({k: v for k, v in results["lineage"].items() if v not in (None, False) and k != "score_fingerprint"})
    rep = Report(f"Score: {results['label']} on {results['tasks']['spec']}", meta=meta)
    rep.add(Table("pass@1 per task", ["task", "pass@1", *VERDICTS],
                  [[t, round(p, 3), *(tb.get(t, {}).get(v, 0) for v in VERDICTS)]
                   for t, p in sorted(results["per_task"].items())]
                  + [["overall", round(results["pass@1"], 3), *(b.get(v, 0) for v in VERDICTS)]]))
    rep.add(BarChart("Error breakdown (programs)", [(v, float(b.get(v, 0))) for v in VERDICTS]))
    rep.add(Table("pass@1 per prompt", ["task/prompt", "pass@1"],
                  [[k, round(v, 3)] for k, v in sorted(results["per_prompt"].items())]))
    rep.add(Table("Configuration", ["setting", "value"], [[k, str(v)] for k, v in results["config"].items()]))
    return rep.write(path)


def load_results(ref: str) -> dict:
    from ..errors import UserError

    path = Path(ref)
    if path.is_dir():
        path = path / "results.json"
    try:
        data = json.loads(path.read_text())
    except OSError:
        raise UserError(f"{ref}: no results.json (pass a `roboinstruct score` --out directory or its "
                        f"results.json)") from None
    except ValueError:
        raise UserError(f"{path}: not valid JSON") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise UserError(f"{path}: not a `roboinstruct score` results file")
    return data


def _ci(results: dict) -> str:
    """'[lo, hi]' (95%) — computed now for results written before intervals were stored."""
    lo, hi = results.get("pass@1_ci95") or pass_at_1_ci(results.get("per_prompt") or {})
    return f"[{lo:.3f}, {hi:.3f}]"


def difference_row(first: dict, other: dict) -> str:
    """other - first on their shared tasks, with its paired 95% interval, read in words."""
    d = difference_ci(first.get("per_prompt") or {}, other.get("per_prompt") or {})
    if d is None:
        return "—"
    diff, lo, hi = d
    verdict = "no clear difference" if lo <= 0 <= hi else ("better" if lo > 0 else "worse")
    return f"{diff:+.3f} [{lo:+.3f}, {hi:+.3f}] ({verdict})"


def compare_table(results: list[dict]) -> tuple[list[str], list[list]]:
    """Columns (one per result) and rows (tasks, then overall with its 95% interval, the
    difference from the first result with a paired interval, and the invalid rate)."""
    labels = [r["label"] for r in results]
    tasks = sorted({t for r in results for t in r["per_task"]})
    rows = [[t, *(round(r["per_task"][t], 3) if t in r["per_task"] else "—" for r in results)] for t in tasks]
    rows.append(["overall pass@1", *(round(r["pass@1"], 3) for r in results)])
    rows.append(["invalid programs", *(f"{r['invalid_rate']:.1%}" for r in results)])
    rows.append(["dataset", *((r["lineage"].get("dataset_fingerprint") or "—") for r in results)])
    rows.append(["pass@1 95% interval", *(_ci(r) for r in results)])
    rows.append(["vs the first (paired)", "—", *(difference_row(results[0], r) for r in results[1:])])
    return ["task", *labels], rows


def write_compare_html(results: list[dict], path: Path) -> Path:
    from ..report import BarChart, Report, Table, Text

    cols, rows = compare_table(results)
    rep = Report("Comparison", meta={"results": len(results)})
    rep.add(BarChart("overall pass@1", [(r["label"], float(r["pass@1"])) for r in results]))
    rep.add(Text("How to read the intervals", f"95% intervals: {CI_METHOD}. A difference whose paired interval "
                 "contains 0 is not distinguishable from noise at this sample size."))
    rep.add(BarChart("invalid-program rate", [(r["label"], float(r["invalid_rate"])) for r in results]))
    rep.add(Table("pass@1 side by side", cols, rows))
    return rep.write(path)
