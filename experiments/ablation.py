"""The paper's Table 2 ablation: five pipeline modes → fine-tune → score → one table.

    python experiments/ablation.py experiments/ablation-toy.yaml     # CPU, toy scale
    python experiments/ablation.py experiments/ablation-paper.yaml   # GPU, paper scale

For each row it generates a dataset with the same seed and budget, fine-tunes the same base on it,
scores the adapter greedily and sampled, and writes OUT/table.{md,json,html} plus
OUT/manifest.json linking every row to its dataset, adapter and score fingerprints, with pass@1's
95% interval, the error breakdown and each phase's wall time.
Rows: `modes: [...]` (one row per pipeline mode: Self-Instruct, +Reject-Unsolvable, +RoboSim,
+InstAlign, Robo-Instruct), or `rows: [{name, mode, ...generate overrides}]` for rows beyond the
paper (e.g. Robo-Instruct with `check: strict`). `bases: [model, ...]` scores un-tuned models too.
Every step is resumable (each writes into its own directory under OUT), so a killed
experiment re-run with the same config continues where it stopped. Scale is config only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from script_io import logger, read_config  # noqa: E402

MODES = ("self-instruct", "reject-unsolvable", "robosim", "instalign", "robo-instruct")
LABELS = {"self-instruct": "Self-Instruct", "reject-unsolvable": "+Reject Unsolvable", "robosim": "+RoboSim",
          "instalign": "+InstAlign", "robo-instruct": "Robo-Instruct (full)"}


log = logger("ablation")


def load(path: str) -> dict:
    cfg = read_config(path, ("out", "generate", "finetune", "score"), "ablation-toy.yaml")
    bad = [r["mode"] for r in rows_of(cfg) if r["mode"] not in MODES]
    if bad:
        sys.exit(f"error: {path}: unknown mode(s) {', '.join(bad)}; use {', '.join(MODES)}")
    names = [r["name"] for r in rows_of(cfg)]
    if len(set(names)) != len(names) or any("/" in n for n in names):
        sys.exit(f"error: {path}: row names must be distinct and contain no '/': {names}")
    return cfg


def rows_of(cfg: dict) -> list[dict]:
    """[{name, mode, label, overrides}]: `rows:` as written, else one row per entry of `modes:`."""
    if "rows" in cfg:
        return [{"name": r["name"], "mode": r.get("mode", "robo-instruct"), "label": r.get("label", r["name"]),
                 "overrides": {k: v for k, v in r.items() if k not in ("name", "mode", "label")}} for r in cfg["rows"]]
    return [{"name": m, "mode": m, "label": LABELS.get(m, m), "overrides": {}} for m in cfg.get("modes", MODES)]


def generate(mode: str, cfg: dict, out: Path, overrides: dict | None = None) -> dict:
    from roboinstruct.pipeline.config import load_config
    from roboinstruct.pipeline.run import GenerationRun

    from roboinstruct.cli.progress import reporter

    gen = load_config(None, {**cfg["generate"], **(overrides or {}), "mode": mode, "out": str(out)})
    with reporter("auto") as rep:  # bars on a terminal, timestamped lines with a heartbeat in a log
        run = GenerationRun(gen, progress=rep.tick)
        try:
            return run.run()
        finally:
            run.close()


def check_license(run_dir: Path, cfg: dict) -> None:
    """Scored on RoboEval: no training example may copy its task prompts or its prefix's examples
    (its license, clause 4). Refuse before any training time is spent."""
    from roboinstruct.benchmark.license import license_violations

    tasks = str(cfg["score"].get("tasks", ""))
    if not tasks.startswith("roboeval:"):
        return
    rows = [json.loads(x) for x in (run_dir / "dataset.jsonl").read_text().splitlines() if x.strip()]
    found = license_violations([(r["instruction"], r["program"]) for r in rows], tasks.split(":", 1)[1])
    if found:
        sys.exit(f"error: {run_dir / 'dataset.jsonl'}: {len(found)} example(s) copy RoboEval (e.g. {found[0].source}, "
                 f"similarity {found[0].similarity}); its license (clause 4) forbids training on it: generate with "
                 f"decontaminate: [{tasks}] and re-run")


def finetune(run_dir: Path, cfg: dict, out: Path) -> dict:
    from roboinstruct.finetune.settings import FinetuneSettings
    from roboinstruct.finetune.train import finetune as train

    check_license(run_dir, cfg)
    ft = dict(cfg["finetune"])
    base = ft.pop("base", "qwen2.5-coder-0.5b")
    return train(str(run_dir), base, out, FinetuneSettings(**ft), log=log)


SCORE_ONLY = ("sampled", "workers", "score_base", "bases", "also_formats")  # the script's keys, not ScoreConfig's


def score(model: str, cfg: dict, out: Path, greedy: bool, prompt_format: str | None = None) -> dict:
    from roboinstruct.score.run import ScoreConfig, ScoreRun

    sc = {k: v for k, v in cfg["score"].items() if k not in SCORE_ONLY}
    if prompt_format:
        sc["prompt_format"] = prompt_format
    if greedy:
        sc["greedy"] = True
    else:
        sc.update(cfg["score"].get("sampled", {"n": 20, "temperature": 0.2}))
    return ScoreRun(ScoreConfig(model=model, **sc), out, workers=cfg["score"].get("workers"), log=log).run()


def row(label: str, pairs, greedy: dict, sampled: dict, lineage: dict, seconds: dict | None = None) -> dict:
    def ci(r: dict) -> str:
        lo, hi = r.get("pass@1_ci95") or (float("nan"), float("nan"))
        return f"[{lo:.3f}, {hi:.3f}]"

    t = sampled["config"]["temperature"]
    return {"mode": label, "pairs": pairs, "pass@1 greedy": round(greedy["pass@1"], 3), "95% CI greedy": ci(greedy),
            f"pass@1 T={t}": round(sampled["pass@1"], 3), f"95% CI T={t}": ci(sampled),
            "invalid (greedy)": round(greedy["invalid_rate"], 3),
            "invalid (sampled)": round(sampled["invalid_rate"], 3),
            "errors (greedy)": ", ".join(f"{k} {v}" for k, v in sorted(greedy.get("breakdown", {}).items())),
            **lineage, **({"seconds": seconds} if seconds else {})}


PHASES = ("generate", "finetune", "score")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", help="YAML: out, modes or rows, generate, finetune, score (see ablation-toy.yaml)")
    ap.add_argument("--until", choices=PHASES, default="score",
                    help="stop after this phase (e.g. generate every dataset now, train later)")
    args = ap.parse_args()
    cfg = load(args.config)
    out = Path(cfg["out"])
    out.mkdir(parents=True, exist_ok=True)
    started, rows_cfg = time.time(), rows_of(cfg)
    seconds: dict[str, dict] = {r["name"]: {} for r in rows_cfg}

    def timed(name: str, phase: str, fn, *a, **kw):
        t0 = time.time()
        res = fn(*a, **kw)
        seconds[name][phase] = round(time.time() - t0, 1)  # this invocation's share (cached phases are fast)
        return res

    # Phase by phase rather than row by row: the datasets share LLM-cache entries, and a
    # long experiment can stop after a phase (--until) and continue later with new code.
    data = {}
    for r in rows_cfg:
        log(f"{r['name']}: generate")
        data[r["name"]] = timed(r["name"], "generate", generate, r["mode"], cfg, out / r["name"] / "data",
                                r["overrides"])
        log(f"{r['name']}: {data[r['name']]['stats']['pairs']} pairs")
    if args.until == "generate":
        return 0
    adapters = {}
    for r in rows_cfg:
        log(f"{r['name']}: fine-tune")
        adapters[r["name"]] = timed(r["name"], "finetune", finetune, out / r["name"] / "data", cfg,
                                    out / r["name"] / "adapter")
    if args.until == "finetune":
        return 0
    rows = []
    bases = cfg["score"].get("bases") or ([cfg["finetune"].get("base", "qwen2.5-coder-0.5b")]
                                          if cfg["score"].get("score_base") else [])
    for base in bases:  # un-tuned bases: the rows every dataset should beat
        # Same engine as the adapters: a registry/GGUF base runs in llama.cpp, an HF folder in transformers.
        model = f"hf:{base}" if Path(base).expanduser().is_dir() else f"local:{base}"
        where = out / "base" if len(bases) == 1 else out / f"base-{Path(base).name}"
        t0 = time.time()
        g, s = (score(model, cfg, where / k, k == "greedy") for k in ("greedy", "sampled"))
        rows.append(row(f"base ({base}, no fine-tuning)", 0, g, s,
                        {"dataset": "—", "adapter": "—", "score": g["fingerprint"]},
                        {"score": round(time.time() - t0, 1)}))
    for r in rows_cfg:
        name = r["name"]
        model = f"adapter:{out / name / 'adapter'}"
        log(f"{name}: score")
        g = timed(name, "score greedy", score, model, cfg, out / name / "score-greedy", True)
        s = timed(name, "score sampled", score, model, cfg, out / name / "score-sampled", False)
        rows.append(row(r["label"], data[name]["stats"]["pairs"], g, s,
                        {"dataset": data[name]["fingerprint"], "adapter": adapters[name]["fingerprint"],
                         "score": g["fingerprint"]}, seconds[name]))
        # the tuned model asked in the layout it was trained in too (e.g. `stubs` beside RoboEval's own
        # prefix): a short training layout is fair only if scoring it so gives it its best number
        for fmt in cfg["score"].get("also_formats", []):
            g = timed(name, f"score greedy {fmt}", score, model, cfg, out / name / f"score-greedy-{fmt}", True, fmt)
            s = timed(name, f"score sampled {fmt}", score, model, cfg, out / name / f"score-sampled-{fmt}", False, fmt)
            rows.append(row(f"{r['label']} (asked in the {fmt} layout)", data[name]["stats"]["pairs"], g, s,
                            {"dataset": data[name]["fingerprint"], "adapter": adapters[name]["fingerprint"],
                             "score": g["fingerprint"]}))
        write(out, cfg, rows, started)  # a partial table after every row
    write(out, cfg, rows, started)
    print((out / "table.md").read_text())
    return 0


def write(out: Path, cfg: dict, rows: list[dict], started: float) -> None:
    from roboinstruct.artifacts import versions
    from roboinstruct.report import BarChart, Report, Table, Text

    cols = [c for c in (rows[0] if rows else {}) if c != "seconds"]
    md = [f"# Ablation ({cfg.get('scale', 'unspecified scale')})", "", cfg.get("note", "").strip(), "",
          "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    md += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    (out / "table.md").write_text("\n".join(md) + "\n")
    (out / "table.json").write_text(json.dumps(rows, indent=2))
    rep = Report("Ablation: pipeline mode → fine-tuned pass@1", meta={"scale": cfg.get("scale", "?")})
    rep.add(Text("Scale", cfg.get("note", "") or cfg.get("scale", "")))
    rep.add(Table("Table 2 shape", cols, [[r[c] for c in cols] for r in rows]))
    for col in [c for c in cols if c.startswith(("pass@1", "invalid"))]:
        rep.add(BarChart(col, [(r["mode"], float(r[col])) for r in rows]))
    rep.write(out / "table.html")
    manifest = {"kind": "roboinstruct.ablation", "config": cfg, "rows": rows, "versions": versions(("roboinstruct", "torch", "transformers", "peft", "trl", "xllamacpp")),
                "seconds": round(time.time() - started, 1),
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())
