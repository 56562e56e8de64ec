"""GenSim's held-out split: which checkout tasks are too close to GenSim's fine-tuning targets.

    PYTHONPATH=src python experiments/gensim_split.py ../shared/gensim \
        [--dataset DIR] [--threshold 0.40] [--out experiments/results/gensim-split]

Writes OUT/split.json (the rule, the measure, the threshold, per held-out task its nearest target
and similarity, counts, the similarity distribution), OUT/table.md and OUT/manifest.json (the
checkout's identity, the code measured). Names and numbers only, never the checkout's code. With
`--dataset DIR` (a `roboinstruct tabletop dataset --gensim CHECKOUT --out DIR` folder built from the
same checkout) its counts — the dataset's size under its rule — are recorded too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

# where the near-copies issue 22 names end up (a check on the rule, not part of it)
NAMED_NEAR_COPIES = ("code_rainbow_pyramid", "code_stack_wall", "code_blue_on_red_cylinder",
                     "code_cylinder_in_colorful_container", "rainbow_pyramid_in_zone", "code_cylinder_in_zone",
                     "code_ball_on_line")


def repo_commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(Path(__file__).resolve().parent), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(data: dict, dataset: dict | None) -> str:
    c, d = data["counts"], data["distribution"]
    pct = d["task_pair_percentiles"]
    out = ["# GenSim held-out split", "",
           f"{c['tasks']} checkout task files; **{c['held_out']} held out** (similarity >= {data['threshold']} to one "
           f"of the {len(data['targets'])} fine-tuning targets), {c['kept']} kept.", "",
           f"Measure: {data['measure']}.", "",
           f"Threshold {data['threshold']}: the description similarity of two checkout tasks has median {pct['p50']}, "
           f"95th percentile {pct['p95']}, 99th {pct['p99']}; {d['task_pairs_below_threshold']:.1%} of task pairs "
           f"are below the threshold.", ""]
    if dataset:
        k = dataset["counts"]
        out += [f"Dataset (`tabletop dataset`, rule {dataset['rule']}, {dataset['config']['seeds']} seeds): "
                f"**{k['accepted']} tasks** accepted of the {k['validated']} kept tasks validated "
                f"({k['rejected']} rejected: {', '.join(f'{s} {n}' for s, n in k['rejected_at'].items())}); "
                f"{dataset['strict_pass']} of them also pass the strict verdict. Suite tasks named or described in "
                f"its rows: " + "; ".join(f"{spec} {len(v)}" for spec, v in dataset["suite_tasks_in_rows"].items())
                + ".", ""]
    near = data["near_tabletop_heldout"]
    out += [f"Not held out, for reading `tabletop:heldout` scores: {near['tasks']} checkout tasks are as close (>= the "
            f"threshold) to one of that suite's generic tasks: "
            + ", ".join(f"{k} {v}" for k, v in sorted(near["per_task"].items(), key=lambda kv: (-kv[1], kv[0]))) + ".", ""]
    out += ["## Targets", "", "| target | file of that name in the checkout | held out |", "|---|---|---:|"]
    out += [f"| {t['name']} | {t['checkout_file'] or '–'} | {c['held_out_per_target'][t['name']]} |"
            for t in data["targets"]]
    placed = {Path(p["file"]).stem: p for p in data["held_out"]}
    out += ["", "## The near-copies issue 22 names", "", "| file | nearest target | similarity | held out |",
            "|---|---|---:|---|"]
    out += [f"| {stem} | {placed[stem]['target']} | {placed[stem]['similarity']:.3f} | yes |" if stem in placed
            else f"| {stem} | – | – | **no** |" for stem in NAMED_NEAR_COPIES]
    out += ["", "## Held-out tasks", "", "| task | nearest target | similarity | through |", "|---|---|---:|---|"]
    out += [f"| {p['name']} | {p['target']} | {p['similarity']:.3f} | {p['via']} |" for p in data["held_out"]]
    out += ["", "## Nearest-target similarity of every checkout task", "", "| similarity | tasks |", "|---|---:|"]
    out += [f"| {b['from']:.2f}–{b['to']:.2f} | {b['tasks']} |" for b in d["nearest_target_histogram"] if b["tasks"]]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout")
    ap.add_argument("--out", default="experiments/results/gensim-split")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--dataset", help="a `tabletop dataset` output folder built from this checkout")
    args = ap.parse_args(argv)

    from roboinstruct.artifacts import atomic_write, hash_file, versions, write_json
    from roboinstruct.tabletop.tasks.gensim_dataset import checkout_identity
    from roboinstruct.tabletop.tasks.heldout import BUILTINS, load_heldout
    from roboinstruct.tabletop.tasks.split import DEFAULT_THRESHOLD, read_checkout, split, split_checkout

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    root = Path(args.checkout)
    sp = split_checkout(root, threshold)
    data = sp.to_dict()
    files = read_checkout(root)
    identity = checkout_identity(root, files)
    # not held out, recorded for reading `tabletop:heldout` scores: checkout tasks as close to our own suite
    ours = split(files, list(load_heldout("tabletop:heldout").values()), threshold).counts()
    data["near_tabletop_heldout"] = {"tasks": ours["held_out"],
                                     "per_task": {k: v for k, v in ours["held_out_per_target"].items() if v}}
    dataset = None
    if args.dataset:
        dataset = json.loads((Path(args.dataset) / "manifest.json").read_text())
        if dataset.get("checkout", {}).get("tasks_sha256") != identity["tasks_sha256"]:
            raise SystemExit(f"{args.dataset} was built from another checkout")
        built_at = dataset["heldout"]["threshold"]
        if built_at != threshold:
            raise SystemExit(f"{args.dataset} was built with threshold {built_at}, not {threshold}")
        rows = [json.loads(line) for line in (Path(args.dataset) / "dataset.jsonl").read_text().splitlines() if line]
        dataset["strict_pass"] = sum(r["verdict"]["strict"] == "pass" for r in rows)  # verdicts only, no code
        # what `score` checks before scoring an adapter trained on these rows (heldout.contaminated)
        seen = " ".join(f"{r['instruction']} {r['name']}" for r in rows).lower()
        dataset["suite_tasks_in_rows"] = {spec: sorted(t.name for t in load_heldout(spec).values()
                                                       if t.name in seen or t.description.lower() in seen)
                                          for spec in ("tabletop:gensim-targets", "tabletop:heldout")}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "split.json", data)
    atomic_write(out / "table.md", table(data, dataset))
    write_json(out / "manifest.json", {
        "checkout": identity, "threshold": threshold, "counts": data["counts"],
        "near_tabletop_heldout": data["near_tabletop_heldout"],
        "targets_file_sha256": hash_file(BUILTINS["gensim-targets"]),
        "dataset": {k: dataset[k] for k in ("rule", "counts", "strict_pass", "suite_tasks_in_rows", "fingerprint",
                                            "config", "files")}
        if dataset else None,
        "versions": versions(["roboinstruct"]), "roboinstruct_commit": repo_commit()})
    print(json.dumps(data["counts"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
