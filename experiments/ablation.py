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
`--only ROW` (repeatable; `bases` for the un-tuned models) does one row's work, so a row can take a
working session of its own; the table is rebuilt after every score from all finished scores on disk
(ablation_table.py), with the rows still pending listed beneath it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import ablation_table as table  # noqa: E402
from script_io import in_child, logger, read_config  # noqa: E402

from roboinstruct.benchmark.license import THRESHOLD  # noqa: E402

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


def licensed_training_set(run_dir: Path, cfg: dict, out: Path) -> Path:
    """What a row trains on. Scored on RoboEval, no training example may copy its task prompts or its
    prefix's examples (its license, clause 4): pairs closer than dedup's threshold to any of them are
    left out, into OUT (dataset.jsonl without them, manifest.json naming the source dataset and every
    pair left out with what it resembles). Generation decontaminates instructions against the task
    prompts only; a program can still come close to a prefix program by the API's own idiom (a loop
    over get_all_rooms(), go_to, pick, place). Elsewhere: RUN_DIR itself."""
    from roboinstruct.artifacts import fingerprint
    from roboinstruct.benchmark.license import license_violations

    tasks = str(cfg["score"].get("tasks", ""))
    if not tasks.startswith("roboeval:"):
        return run_dir
    lines = [x for x in (run_dir / "dataset.jsonl").read_text().splitlines() if x.strip()]
    rows = [json.loads(x) for x in lines]
    left_out = []
    for line, r in zip(lines, rows):
        found = license_violations([(r["instruction"], r["program"])], tasks.split(":", 1)[1])
        if found:
            left_out.append({"id": r.get("id"), "instruction": r["instruction"], "program": r["program"],
                             "resembles": [{"source": v.source, "similarity": v.similarity} for v in found]})
    if not left_out:
        return run_dir
    source = json.loads((run_dir / "manifest.json").read_text())
    kept = [line for line, r in zip(lines, rows) if r.get("id") not in {x["id"] for x in left_out}]
    text = "\n".join(kept) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / "dataset.jsonl").write_text(text)
    import hashlib

    sha = hashlib.sha256(text.encode()).hexdigest()
    manifest = {"kind": source.get("kind"), "fingerprint": fingerprint({"source": source["fingerprint"], "sha": sha}),
                "domain": source.get("domain"), "files": {"dataset.jsonl": sha},
                "stats": {"pairs": len(kept), "generated": len(rows), "left_out": len(left_out)},
                "source": {"dir": str(run_dir), "fingerprint": source["fingerprint"]},
                "rule": f"RoboEval's license (clause 4): pairs closer than {THRESHOLD} (token edit similarity) to one "
                        f"of {tasks}'s task prompts or prompt-prefix examples are not trained on",
                "left_out": left_out}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    log(f"{run_dir}: {len(left_out)} of {len(rows)} pairs left out of training, too close to RoboEval's files "
        f"(its license, clause 4; listed in {out / 'manifest.json'})")
    return out


def finetune(run_dir: Path, cfg: dict, out: Path) -> dict:
    """The LoRA adapter for a dataset, trained in a process of its own (script_io.in_child): the
    scores after it run without the trainer's memory."""
    return in_child(_finetune, run_dir, cfg, out)


def _finetune(run_dir: Path, cfg: dict, out: Path) -> dict:
    from roboinstruct.finetune.settings import FinetuneSettings
    from roboinstruct.finetune.train import finetune as train

    run_dir = licensed_training_set(run_dir, cfg, out.parent / "train")
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


PHASES = ("generate", "finetune", "score")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", help="YAML: out, modes or rows, generate, finetune, score (see ablation-toy.yaml)")
    ap.add_argument("--until", choices=PHASES, default="score",
                    help="stop after this phase (e.g. generate every dataset now, train later)")
    ap.add_argument("--only", action="append", metavar="ROW",
                    help="work on this row only (a row name, or `bases` for the un-tuned models); repeatable. "
                         "The table still shows every row with a finished score")
    ap.add_argument("--table", action="store_true",
                    help="only rebuild the table from the finished scores on disk (no model, no training)")
    args = ap.parse_args()
    cfg = load(args.config)
    out = Path(cfg["out"])
    out.mkdir(parents=True, exist_ok=True)
    started, all_rows = time.time(), rows_of(cfg)
    known = {r["name"] for r in all_rows} | {"bases"}
    unknown = sorted(set(args.only or ()) - known)
    if unknown:
        sys.exit(f"error: --only {', '.join(unknown)}: not a row of {args.config}; use {', '.join(sorted(known))}")
    rows_cfg = [r for r in all_rows if not args.only or r["name"] in args.only]

    def timed(name: str, phase: str, fn, *a, **kw):
        t0 = time.time()
        res = fn(*a, **kw)
        table.add_seconds(out / name, phase, time.time() - t0)
        return res

    def refresh() -> None:  # the table from every finished score on disk, after each step
        rows, pending = table.gather(out, cfg, all_rows)
        table.write(out, cfg, rows, started, pending)

    if args.table:
        refresh()
        print((out / "table.md").read_text())
        return 0
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
    for r in rows_cfg:
        log(f"{r['name']}: fine-tune")
        timed(r["name"], "finetune", finetune, out / r["name"] / "data", cfg, out / r["name"] / "adapter")
    if args.until == "finetune":
        return 0
    formats = [None, *cfg["score"].get("also_formats", [])]
    for k in ("greedy", "sampled") if not args.only or "bases" in args.only else ():
        for base in table.bases_of(cfg):
            for fmt in formats:
                # un-tuned bases, the rows every dataset should beat, in every layout a tuned row is
                # asked in (a tuned row is compared with its base asked the same way); same engine as
                # the adapters: a registry/GGUF base runs in llama.cpp, an HF folder in transformers
                model = f"hf:{base}" if Path(base).expanduser().is_dir() else f"local:{base}"
                where = table.base_dir(out, cfg, base) / table.cell_name(k, fmt)
                log(f"base {base}: score {k}{' in the ' + fmt + ' layout' if fmt else ''}")
                score(model, cfg, where, k == "greedy", fmt)
                refresh()
    for r in rows_cfg:
        name = r["name"]
        model = f"adapter:{out / name / 'adapter'}"
        # the tuned model asked in the layout it was trained in too (e.g. `stubs` beside RoboEval's own
        # prefix): a short training layout is fair only if scoring it so gives it its best number.
        # Greedy cells first (a tenth of the sampled ones' model time): a session cut short still compares
        for k in ("greedy", "sampled"):
            for fmt in formats:
                cell = table.cell_name(k, fmt)
                log(f"{name}: score {k}{' in the ' + fmt + ' layout' if fmt else ''}")
                timed(name, f"score {cell}", score, model, cfg, out / name / f"score-{cell}", k == "greedy", fmt)
                refresh()
    refresh()
    print((out / "table.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
