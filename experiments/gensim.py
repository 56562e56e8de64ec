"""GenSim at toy scale: grow a task library with a model → fine-tune a small base on it → score
base vs tuned on held-out target tasks, with 95% intervals, in one table.

    python experiments/gensim.py experiments/gensim-toy.yaml      # CPU, toy scale
    python experiments/gensim.py experiments/gensim-paper.yaml    # GPU + served generator
    python experiments/gensim.py CONFIG --until generate          # stop after a phase; re-run to continue

Every phase is its own resumable run directory under OUT (the library run, the adapter, each
score), so a killed experiment re-run with the same config continues where it stopped. Writes
OUT/table.{md,json,html} and OUT/manifest.json (every row traced to its fingerprints).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ablation import finetune, score
from script_io import logger, read_config, start

PHASES = ("generate", "finetune", "score")


log = logger("gensim")


def load(path: str) -> dict:
    cfg = read_config(path, ("out", "generate", "finetune", "score"), "gensim-toy.yaml")
    return cfg


def generate(cfg: dict, out: Path) -> dict:
    from roboinstruct.gensim.config import load_config
    from roboinstruct.gensim.loop import GensimRun

    run = GensimRun(load_config(None, {**cfg["generate"], "out": str(out)}).validate(),
                    progress=lambda stage, done, total: log(f"{stage} {done}/{total}"))
    try:
        return run.run()
    finally:
        run.close()


def cell(res: dict) -> str:
    lo, hi = res["pass@1_ci95"]
    return f"{res['pass@1']:.3f} [{lo:.2f}, {hi:.2f}]"


def wilson_cell(res: dict) -> str:
    """Tasks solved out of tried with a Wilson interval: the bootstrap collapses to [0, 0] at 0/n."""
    from roboinstruct.core.intervals import wilson_ci

    k, n = sum(1 for v in res["per_task"].values() if v >= 0.5), len(res["per_task"])
    lo, hi = wilson_ci(k, n)
    return f"{k}/{n} [{lo:.2f}, {hi:.2f}]"


def row(label: str, tasks: int, greedy: dict, sampled: dict | None, lineage: dict) -> dict:
    out = {"model": label, "library tasks trained on": tasks, "pass@1 greedy [95% CI]": cell(greedy),
           "tasks solved (Wilson 95%)": wilson_cell(greedy),
           "stages (greedy)": ", ".join(f"{k} {v}" for k, v in sorted(greedy.get("stage_breakdown", {}).items()))}
    if sampled:
        out[f"pass@1 T={sampled['config']['temperature']} [95% CI]"] = cell(sampled)
    return {**out, **lineage}


def main() -> int:
    args, cfg, out = start(__doc__, PHASES, load)
    times: dict[str, float] = {}
    t = time.time()
    log("generate: growing the library")
    lib = generate(cfg, out / "library")
    times["generate_s"] = round(time.time() - t, 1)
    s = lib["stats"]
    log(f"accepted {s['accepted']['k']} of {s['accepted']['n']} trials")
    if args.until == "generate":
        return 0
    t = time.time()
    adapter = finetune(out / "library", cfg, out / "adapter")
    times["finetune_s"] = round(time.time() - t, 1)
    if args.until == "finetune":
        return 0
    sampled_on = "sampled" in cfg["score"]
    base = cfg["finetune"].get("base", "qwen2.5-coder-0.5b")
    rows = []
    t = time.time()
    for label, model, where, lineage in (
            (f"{base} (no fine-tuning)", f"local:{base}", "base", {"dataset": "—", "adapter": "—"}),
            (f"{base} + LoRA on the library", f"adapter:{out / 'adapter'}", "tuned",
             {"dataset": lib["fingerprint"], "adapter": adapter["fingerprint"]})):
        log(f"score {label}")
        g = score(model, cfg, out / where / "greedy", True)
        sm = score(model, cfg, out / where / "sampled", False) if sampled_on else None
        rows.append(row(label, 0 if where == "base" else adapter["dataset"]["rows"], g, sm,
                        {**lineage, "score": g["fingerprint"]}))
    times["score_s"] = round(time.time() - t, 1)
    write(out, cfg, rows, lib, times)
    print((out / "table.md").read_text())
    return 0


def write(out: Path, cfg: dict, rows: list[dict], lib: dict, times: dict) -> None:
    from roboinstruct.artifacts import versions
    from roboinstruct.report import Report, Table, Text

    cols = list(rows[0])
    s = lib["stats"]
    acc = s["accepted"]
    md = [f"# GenSim experiment ({cfg.get('scale', 'unspecified scale')})", "", cfg.get("note", "").strip(), "",
          f"Library run: {acc['k']} of {acc['n']} trials accepted (95% CI {acc['ci95'][0]:.2f}–{acc['ci95'][1]:.2f}); "
          f"rejections by stage {s['rejected_at']}; phase times {times}.", "",
          "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    md += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    (out / "table.md").write_text("\n".join(md) + "\n")
    (out / "table.json").write_text(json.dumps({"rows": rows, "library": s, "times": times}, indent=2))
    rep = Report("GenSim: library → fine-tune → held-out tasks", meta={"scale": cfg.get("scale", "?")})
    rep.add(Text("Scale", cfg.get("note", "")))
    rep.add(Table("Held-out target tasks", cols, [[r[c] for c in cols] for r in rows]))
    rep.add(Text("Library statistics", json.dumps(s, indent=2), preformatted=True))
    rep.write(out / "table.html")
    (out / "manifest.json").write_text(json.dumps({
        "kind": "roboinstruct.gensim-experiment", "config": cfg, "rows": rows, "times": times,
        "versions": versions(("roboinstruct", "pybullet", "torch", "transformers", "peft", "xllamacpp")),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())
