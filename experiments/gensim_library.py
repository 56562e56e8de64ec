"""GenSim's first claim, measured: a task library makes a small code model write valid tasks.

    python experiments/gensim_library.py experiments/gensim-library.yaml            # CPU, local scale
    python experiments/gensim_library.py CONFIG --until library|finetune            # stop after a phase

The library is a GenSim checkout's own tasks this project accepts (GPT-4-written, GenSim's rule),
built at run time from the user's checkout by `tabletop dataset` (tasks too close to GenSim's
fine-tuning targets held out by content: tabletop.tasks.split) into OUT/library/ — the checkout's
code stays there, never in this repository (OUT/library is git-ignored). Three rows, each scored
greedily and with samples on the held-out suites: the base model zero-shot, the base model with the
K library tasks nearest each target shown first (GenSim's few-shot prompt baseline: `score
--examples`), and the base model LoRA-tuned on the library. Every answer is judged as GenSim judges
its fine-tuned models, and reported as GenSim's paper reports them: the share of answers that
pass the syntax check, that run (the task loads and resets), and whose task the oracle completes
(GenSim's rule) — each with a 95% cluster-bootstrap interval over targets. Every phase resumes
after a kill: the library is reused while the checkout and settings match, the adapter and each
score are their own resumable run directories. Writes OUT/table.{md,json,html} and
OUT/manifest.json.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ablation import finetune, score
from script_io import logger, read_config, start

PHASES = ("library", "finetune", "score")
# validator stages (tabletop.errors.STAGES) an answer fails before its task runs in the simulator:
# GenSim's "syntax" check is the first; its "runtime" check is loading and resetting the task
SYNTAX_STAGES = frozenset({"parse"})
RUNTIME_STAGES = SYNTAX_STAGES | {"sandbox", "instantiate", "reset", "unsupported", "assets", "templates"}
RATES = ("syntax", "runtime", "success")


log = logger("gensim-library")


def load(path: str) -> dict:
    cfg = read_config(path, ("out", "library", "finetune", "score"), "gensim-library.yaml")
    if "gensim" not in cfg["library"]:
        sys.exit(f"error: {path}: library.gensim must name a GenSim checkout (e.g. ../shared/gensim)")
    return cfg


def _library_settings(cfg: dict):
    from roboinstruct.tabletop.tasks.gensim_dataset import DatasetSettings

    opts = {k: v for k, v in cfg["library"].items() if k not in ("gensim", "only")}
    only = set(cfg["library"]["only"]) if cfg["library"].get("only") else None
    return DatasetSettings(**opts).validate(), only, Path(cfg["library"]["gensim"])


def library_fingerprint(cfg: dict) -> str:
    """The library dataset's fingerprint as `gensim_dataset.build` computes it (what it depends on:
    settings, the checkout's task files, the sample), without validating anything."""
    from roboinstruct.artifacts import fingerprint
    from roboinstruct.settings import fingerprinted
    from roboinstruct.tabletop.tasks.gensim_dataset import checkout_identity
    from roboinstruct.tabletop.tasks.split import read_checkout

    settings, only, root = _library_settings(cfg)
    return fingerprint({"settings": {k: v for k, v in fingerprinted(settings).items() if k not in ("workers", "executor")},
                        "checkout": checkout_identity(root, read_checkout(root))["tasks_sha256"],
                        "only": sorted(only) if only is not None else None})


def library(cfg: dict, out: Path) -> dict:
    """OUT/library: the checkout's accepted, non-held-out tasks; reused while the checkout, the settings
    and the sample (`library.only`: checkout files, for smoke runs) are the same."""
    from roboinstruct.tabletop.tasks.gensim_dataset import build

    settings, only, root = _library_settings(cfg)
    manifest_path = out / "manifest.json"
    if manifest_path.is_file() and json.loads(manifest_path.read_text()).get("fingerprint") == library_fingerprint(cfg):
        return json.loads(manifest_path.read_text())
    log(f"library: validating {root}'s task files (GenSim's dialect)")
    return build(root, out, settings, only=only)


def stage_rates(score_dir: Path) -> dict:
    """GenSim's three rates over every answer of a score run, each with its cluster-bootstrap interval
    over targets (a target's samples move together)."""
    from roboinstruct.core.intervals import pass_at_1_ci

    per: dict[str, dict[str, list[int]]] = {r: defaultdict(list) for r in RATES}
    for line in (score_dir / "evaluated.jsonl").read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        key, stage = f"{row['task']}/{row.get('prompt_index', 0)}", row.get("stage") or "pass"
        per["syntax"][key].append(stage not in SYNTAX_STAGES)
        per["runtime"][key].append(stage not in RUNTIME_STAGES)
        per["success"][key].append(row.get("verdict") == "Success")
    out = {}
    for rate, by_prompt in per.items():
        means = {k: sum(v) / len(v) for k, v in by_prompt.items()}
        answers = sum(len(v) for v in by_prompt.values())
        value = sum(sum(v) for v in by_prompt.values()) / answers if answers else 0.0
        out[rate] = {"rate": round(value, 4), "ci95": list(pass_at_1_ci(means)), "answers": answers,
                     "targets": len({k.rsplit("/", 1)[0] for k in means})}
    return out


def cell(r: dict) -> str:
    return f"{r['rate']:.2f} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}]"


def row(label: str, suite: str, how: str, rates: dict, lineage: dict) -> dict:
    return {"model": label, "suite": suite, "answers": how,
            **{f"{rate} [95% CI]": cell(rates[rate]) for rate in RATES},
            "n answers": rates["success"]["answers"], **lineage}


def main() -> int:
    args, cfg, out = start(__doc__, PHASES, load)
    started, times = time.time(), {}
    t = time.time()
    lib = library(cfg, out / "library")
    times["library_s"] = round(time.time() - t, 1)
    log(f"library: {lib['counts']['accepted']} accepted of {lib['counts']['validated']} validated "
        f"({lib['counts']['held_out']} held out)")
    if args.until == "library":
        return 0
    t = time.time()
    adapter = finetune(out / "library", cfg, out / "adapter")
    times["finetune_s"] = round(time.time() - t, 1)
    if args.until == "finetune":
        return 0
    base = cfg["finetune"].get("base", "qwen2.5-coder-0.5b")
    sc = cfg["score"]
    shots = int(sc.get("shots", 3))
    variants = (
        (f"{base}, zero-shot", "base", f"local:{base}", {}, {"dataset": "—", "adapter": "—"}),
        (f"{base}, {shots} library tasks shown (GenSim's few-shot prompt)", "fewshot", f"local:{base}",
         {"examples": str(out / "library"), "shots": shots}, {"dataset": lib["fingerprint"], "adapter": "—"}),
        (f"{base} + LoRA on the library", "tuned", f"adapter:{out / 'adapter'}", {},
         {"dataset": lib["fingerprint"], "adapter": adapter["fingerprint"]}))
    rows, t = [], time.time()
    for suite in sc["suites"]:
        slug = suite.split(":")[1]
        for label, where, model, extra, lineage in variants:
            for how, greedy in (("greedy", True), (f"{sc['sampled']['n']} at T={sc['sampled']['temperature']}", False)):
                run_cfg = {**cfg, "score": {**{k: v for k, v in sc.items() if k not in ("suites", "shots")},
                                            "tasks": suite, **extra}}
                d = out / where / slug / ("greedy" if greedy else "sampled")
                log(f"score {label} on {suite}, {how}")
                res = score(model, run_cfg, d, greedy)
                rows.append(row(label, suite.rsplit(":", 1)[0] if suite.count(":") > 1 else suite, how,
                                stage_rates(d), {**lineage, "score": res["fingerprint"]}))
                write(out, cfg, rows, lib, times)
    times["score_s"] = round(time.time() - t, 1)
    times["total_s"] = round(time.time() - started, 1)
    write(out, cfg, rows, lib, times)
    print((out / "table.md").read_text())
    return 0


def write(out: Path, cfg: dict, rows: list[dict], lib: dict, times: dict) -> None:
    from roboinstruct.artifacts import versions
    from roboinstruct.report import BarChart, Report, Table, Text

    cols = [c for c in rows[0] if c not in ("dataset", "adapter", "score")]
    counts = lib["counts"]
    md = [f"# GenSim's library → a small code model ({cfg.get('scale', 'unspecified scale')})", "",
          cfg.get("note", "").strip(), "",
          f"Library: {counts['accepted']} of {counts['validated']} validated checkout tasks accepted under the "
          f"{lib['rule']} rule ({counts['held_out']} of {counts['files']} files held out as too close to a target; "
          f"rejected by stage {counts['rejected_at']}); checkout {lib['checkout']['path_name']} "
          f"@ {lib['checkout']['commit'][:12]}; phase times {times}.", "",
          "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    md += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    (out / "table.md").write_text("\n".join(md) + "\n")
    (out / "table.json").write_text(json.dumps({"rows": rows, "library": {k: lib[k] for k in ("counts", "rule",
                                                "fingerprint", "checkout", "heldout")}, "times": times}, indent=2))
    rep = Report("GenSim: the task library → a small code model's tasks", meta={"scale": cfg.get("scale", "?")})
    rep.add(Text("Setup", cfg.get("note", "")))
    rep.add(Table("GenSim's rates on held-out targets (95% cluster-bootstrap intervals over targets)", cols,
                  [[r[c] for c in cols] for r in rows]))
    for rate in RATES:
        col = f"{rate} [95% CI]"
        rep.add(BarChart(f"{rate} rate", [(f"{r['model']} · {r['suite']} · {r['answers']}",
                                           float(r[col].split()[0])) for r in rows]))
    rep.write(out / "table.html")
    (out / "manifest.json").write_text(json.dumps({
        "kind": "roboinstruct.gensim-library-experiment", "config": cfg, "rows": rows, "times": times,
        "library": {k: lib[k] for k in ("counts", "rule", "fingerprint", "checkout", "heldout", "files")},
        "versions": versions(("roboinstruct", "pybullet", "torch", "transformers", "peft", "xllamacpp")),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())
