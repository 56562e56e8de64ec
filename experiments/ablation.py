"""The paper's Table 2 ablation: five pipeline modes → fine-tune → score → one table.

    python experiments/ablation.py experiments/ablation-toy.yaml     # CPU, toy scale
    python experiments/ablation.py experiments/ablation-paper.yaml   # GPU, paper scale

For each mode (Self-Instruct, +Reject-Unsolvable, +RoboSim, +InstAlign, Robo-Instruct)
it generates a dataset with the same seed and budget, fine-tunes the same base on it,
scores the adapter greedily and at T=0.2, and writes OUT/table.{md,json,html} plus
OUT/manifest.json linking every row to its dataset, adapter and score fingerprints.
Every step is resumable (each writes into its own directory under OUT), so a killed
experiment re-run with the same config continues where it stopped. Scale is config only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import yaml

MODES = ("self-instruct", "reject-unsolvable", "robosim", "instalign", "robo-instruct")
LABELS = {"self-instruct": "Self-Instruct", "reject-unsolvable": "+Reject Unsolvable", "robosim": "+RoboSim",
          "instalign": "+InstAlign", "robo-instruct": "Robo-Instruct (full)"}


def log(msg: str) -> None:
    print(f"[ablation {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load(path: str) -> dict:
    cfg = yaml.safe_load(Path(path).read_text()) or {}
    for key in ("out", "generate", "finetune", "score"):
        if key not in cfg:
            sys.exit(f"error: {path}: missing section {key!r} (see experiments/ablation-toy.yaml)")
    bad = [m for m in cfg.get("modes", MODES) if m not in MODES]
    if bad:
        sys.exit(f"error: {path}: unknown mode(s) {', '.join(bad)}; use {', '.join(MODES)}")
    return cfg


def generate(mode: str, cfg: dict, out: Path) -> dict:
    from roboinstruct.pipeline.config import load_config
    from roboinstruct.pipeline.run import GenerationRun

    gen = load_config(None, {**cfg["generate"], "mode": mode, "out": str(out)})
    run = GenerationRun(gen)
    try:
        return run.run()
    finally:
        run.close()


def finetune(run_dir: Path, cfg: dict, out: Path) -> dict:
    from roboinstruct.finetune.settings import FinetuneSettings
    from roboinstruct.finetune.train import finetune as train

    ft = dict(cfg["finetune"])
    base = ft.pop("base", "qwen2.5-coder-0.5b")
    return train(str(run_dir), base, out, FinetuneSettings(**ft), log=log)


def score(model: str, cfg: dict, out: Path, greedy: bool) -> dict:
    from roboinstruct.score.run import ScoreConfig, ScoreRun

    sc = {k: v for k, v in cfg["score"].items() if k not in ("sampled", "workers", "score_base", "base_model")}
    if greedy:
        sc["greedy"] = True
    else:
        sc.update(cfg["score"].get("sampled", {"n": 20, "temperature": 0.2}))
    return ScoreRun(ScoreConfig(model=model, **sc), out, workers=cfg["score"].get("workers"), log=log).run()


def row(label: str, pairs, greedy: dict, sampled: dict, lineage: dict) -> dict:
    return {"mode": label, "pairs": pairs, "pass@1 greedy": round(greedy["pass@1"], 3),
            f"pass@1 T={sampled['config']['temperature']}": round(sampled["pass@1"], 3),
            "invalid (greedy)": round(greedy["invalid_rate"], 3),
            "invalid (sampled)": round(sampled["invalid_rate"], 3), **lineage}


PHASES = ("generate", "finetune", "score")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", help="YAML: out, modes, generate, finetune, score (see ablation-toy.yaml)")
    ap.add_argument("--until", choices=PHASES, default="score",
                    help="stop after this phase (e.g. generate every dataset now, train later)")
    args = ap.parse_args()
    cfg = load(args.config)
    out = Path(cfg["out"])
    out.mkdir(parents=True, exist_ok=True)
    started, modes = time.time(), cfg.get("modes", MODES)
    # Phase by phase rather than mode by mode: the datasets share LLM-cache entries, and a
    # long experiment can stop after a phase (--until) and continue later with new code.
    data = {}
    for mode in modes:
        log(f"{mode}: generate")
        data[mode] = generate(mode, cfg, out / mode / "data")
        log(f"{mode}: {data[mode]['stats']['pairs']} pairs")
    if args.until == "generate":
        return 0
    adapters = {}
    for mode in modes:
        log(f"{mode}: fine-tune")
        adapters[mode] = finetune(out / mode / "data", cfg, out / mode / "adapter")
    if args.until == "finetune":
        return 0
    rows = []
    if cfg["score"].get("score_base"):  # the un-tuned base: the row every mode should beat
        base = cfg["finetune"].get("base", "qwen2.5-coder-0.5b")
        # Same engine as the adapters: a registry/GGUF base runs in llama.cpp, an HF folder in transformers.
        model = cfg["score"].get("base_model", f"hf:{base}" if Path(base).expanduser().is_dir() else f"local:{base}")
        g, s = (score(model, cfg, out / "base" / k, k == "greedy") for k in ("greedy", "sampled"))
        rows.append(row(f"base ({base}, no fine-tuning)", 0, g, s,
                        {"dataset": "—", "adapter": "—", "score": g["fingerprint"]}))
    for mode in modes:
        model = f"adapter:{out / mode / 'adapter'}"
        log(f"{mode}: score")
        g = score(model, cfg, out / mode / "score-greedy", True)
        s = score(model, cfg, out / mode / "score-sampled", False)
        rows.append(row(LABELS[mode], data[mode]["stats"]["pairs"], g, s,
                        {"dataset": data[mode]["fingerprint"], "adapter": adapters[mode]["fingerprint"],
                         "score": g["fingerprint"]}))
        write(out, cfg, rows, started)  # a partial table after every mode
    write(out, cfg, rows, started)
    print((out / "table.md").read_text())
    return 0


def write(out: Path, cfg: dict, rows: list[dict], started: float) -> None:
    from roboinstruct.artifacts import versions
    from roboinstruct.report import BarChart, Report, Table, Text

    cols = list(rows[0]) if rows else []
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
