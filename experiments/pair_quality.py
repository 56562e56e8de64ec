"""Pair quality, measured on blind labels: does the strict check keep what careful readers keep?

    python experiments/pair_quality.py collect OUT RUN_DIR [RUN_DIR ...]   # pairs of real runs
    python experiments/pair_quality.py sheet OUT NAME RUN[:FRACTION] ...    # a blind sheet for readers
    python experiments/pair_quality.py measure OUT                          # labels -> tables
    python experiments/pair_quality.py finalize RUN_DIR                     # outputs of a run stopped early

`collect` adds to OUT/pairs.jsonl every dataset row of the runs (with its run, model and check);
`sheet OUT NAME RUN[:FRACTION]...` writes OUT/blind_NAME.jsonl: opaque ref, instruction, program,
shuffled across the runs named (what a reader sees; nothing says which run or pipeline made a pair). Readers write OUT/labels_<reader>.jsonl with the rubric's
fields (../shared/data/pairs_rubric.md): id, instruction_ok, program_matches, good, why.

`measure` audits every pair with the same code `generate --check strict` uses
(quality.assess_pairs), then writes OUT/results.json, OUT/table.md and OUT/report.html:
- per rule: pairs it rejects, precision (share of those readers call not good) and recall
  (share of not-good pairs it catches), each with a Wilson 95% interval;
- the strict check as a whole: share of kept pairs readers keep, share of good pairs kept;
- per run (e.g. the pipeline before and after): reader-kept share of the run's own pairs;
- agreement between readers (Cohen's kappa) when there are two.
A pair counts as good only if every reader says good (the rubric's strictness).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def log(msg: str) -> None:
    print(f"[pair-quality {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def collect(out: Path, runs: list[str], tag: list[str] | None = None, seconds: float | None = None) -> None:
    """`seconds`: the wall time of a run stopped before its target (its log's last timestamp), whose
    manifest was written afterwards from its records and so does not know how long it ran."""
    pairs = []
    for i, run in enumerate(runs):
        run = Path(run)
        manifest = json.loads((run / "manifest.json").read_text())
        cfg = manifest["config"]
        name = (tag[i] if tag else None) or run.name
        runs_file = out / "runs.json"
        runs_meta = json.loads(runs_file.read_text()) if runs_file.exists() else {}
        s = manifest.get("stats") or {}
        runs_meta[name] = {"fingerprint": manifest["fingerprint"], "config": cfg, "pairs": s.get("pairs"),
                           "seconds": seconds or manifest.get("seconds_this_invocation"),
                          "stopped_early": bool(seconds),
                           **{k: s.get(k) for k in ("instructions_generated", "programs_sampled", "instructions_dropped",
                                                    "rejected_by_error_kind", "rejected_by_meaning_rule")}}
        out.mkdir(parents=True, exist_ok=True)
        runs_file.write_text(json.dumps(runs_meta, indent=1) + "\n")
        planned = {r["id"]: r["plan"] for r in _read_jsonl(run / "stages" / "instructions.jsonl") if r.get("plan")} \
            if (run / "stages" / "instructions.jsonl").exists() else {}
        for row in _read_jsonl(run / "dataset.jsonl"):
            pairs.append({"id": f"{name}/{row['id']}", "run": name, "fingerprint": manifest["fingerprint"],
                          "model": cfg.get("model"), "check": cfg.get("check", "reference"),
                          "origin": cfg.get("origin", "instructions"),
                          "prompts": cfg.get("prompts", 1), "instruction": row["instruction"],
                          "original_instruction": row["original_instruction"], "program": row["program"],
                          **({"plan": planned[row["id"]]} if row["id"] in planned else {})})
    old = _read_jsonl(out / "pairs.jsonl") if (out / "pairs.jsonl").exists() else []
    plans = {p["id"]: p["plan"] for p in pairs if p.get("plan")}
    for p in old:  # a plan-first run collected before plans were kept: its plans now, nothing else changes
        if p["id"] in plans and not p.get("plan"):
            p["plan"] = plans[p["id"]]
    have = {p["id"] for p in old}
    new = [p for p in pairs if p["id"] not in have]
    for i, p in enumerate(new):
        p["ref"], p["sheet"] = None, None
    _write_jsonl(out / "pairs.jsonl", old + new)
    log(f"{len(new)} new pairs ({len(have) + len(new)} in all) -> {out}")


def finalize(run_dir: str) -> None:
    """Write the outputs (dataset, stats, report) of a run stopped before its target, from its
    records alone: no model is loaded (the backend factory refuses)."""
    from roboinstruct.pipeline.config import GenerateConfig
    from roboinstruct.pipeline.dataset import write_outputs
    from roboinstruct.pipeline.run import GenerationRun

    held = json.loads((Path(run_dir) / "config.json").read_text())
    fields = {k: v for k, v in held["config"].items() if k in GenerateConfig.__dataclass_fields__}
    cfg = GenerateConfig(**fields, out=run_dir).validate()

    def no_model(_cfg):
        raise RuntimeError("finalize never loads a model")

    run = GenerationRun(cfg, backend_factory=no_model)
    try:
        assert run.fingerprint == held["fingerprint"], (run.fingerprint, held["fingerprint"])
        manifest = write_outputs(run.dir, run.records(), time.time())
    finally:
        run.close()
    log(f"{run_dir}: {manifest['stats']['pairs']} pairs written from the records")


def sheet(out: Path, name: str, takes: list[str], seed: int = 0) -> None:
    """A blind sheet: pairs not yet on any sheet, from runs (RUN or RUN:FRACTION), shuffled, under
    opaque refs. Mixing runs on one sheet keeps readers from telling pipelines apart by batch."""
    pairs = _read_jsonl(out / "pairs.jsonl")
    rng = random.Random(f"{seed}/{name}")
    chosen = []
    for take in takes:
        run, _, frac = take.partition(":")
        pool = [p for p in pairs if p["run"] == run and p["sheet"] is None]
        if not pool:
            sys.exit(f"error: no unassigned pairs of run {run!r} in {out / 'pairs.jsonl'}")
        rng.shuffle(pool)
        chosen += pool[: round(len(pool) * float(frac))] if frac else pool
    rng.shuffle(chosen)
    used = {p["ref"] for p in pairs if p["ref"]}
    n = len(used)
    for i, p in enumerate(chosen):
        p["ref"], p["sheet"] = f"p{n + i:04d}", name
    _write_jsonl(out / "pairs.jsonl", pairs)
    _write_jsonl(out / f"blind_{name}.jsonl",
                 [{"ref": p["ref"], "instruction": p["instruction"], "program": p["program"]} for p in chosen])
    log(f"sheet {name}: {len(chosen)} pairs -> {out / f'blind_{name}.jsonl'}")


def kappa(a: list[bool], b: list[bool]) -> float:
    n = len(a)
    if not n:
        return float("nan")
    po = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def _ci(k: int, n: int) -> list[float]:
    from roboinstruct.core.intervals import wilson_ci

    lo, hi = wilson_ci(k, n) if n else (0.0, 1.0)
    return [round(lo, 3), round(hi, 3)]


def _rate(k: int, n: int) -> dict:
    return {"k": k, "n": n, "rate": round(k / n, 3) if n else None, "ci95": _ci(k, n)}


def measure(out: Path, workers: int | None = None) -> dict:
    from roboinstruct.domain import load_domain
    from roboinstruct.quality import assess_pairs

    pairs = _read_jsonl(out / "pairs.jsonl")
    ref_to_id = {p["ref"]: p["id"] for p in pairs if p.get("ref")}
    readers = {}
    for path in sorted(out.glob("labels_*.jsonl")):  # several files per reader: labels_A.jsonl, labels_A_2.jsonl
        name = path.stem.removeprefix("labels_").split("_")[0]
        readers.setdefault(name, {}).update({ref_to_id[r["ref"]]: r for r in _read_jsonl(path)})
    if not readers:
        sys.exit(f"error: {out}: no labels_<reader>.jsonl yet; label blind_*.jsonl first")
    labelled = [p for p in pairs if all(p["id"] in lab for lab in readers.values())]
    log(f"{len(labelled)} of {len(pairs)} pairs labelled by all of {', '.join(readers)}; auditing")
    good = {p["id"]: all(_is_yes(lab[p["id"]]["good"]) for lab in readers.values()) for p in labelled}
    results = {r.id: r for r in assess_pairs(labelled, load_domain(), check="strict", workers=workers)}
    bad_ids = [i for i, g in good.items() if not g]
    rules = Counter(f.rule for r in results.values() for f in r.findings)
    per_rule = {}
    for rule in sorted(rules):
        hit = [i for i, r in results.items() if any(f.rule == rule for f in r.findings)]
        tp = sum(not good[i] for i in hit)
        per_rule[rule] = {"rejects": len(hit), "precision": _rate(tp, len(hit)),
                          "recall": _rate(tp, len(bad_ids)), "good_rejected": len(hit) - tp}
    kept = [i for i, r in results.items() if r.keep]
    overall = {"pairs": len(labelled), "good": sum(good.values()),
               "reader_kept_share_before_check": _rate(sum(good.values()), len(labelled)),
               "strict_kept": len(kept), "reader_kept_share_of_strict_kept": _rate(sum(good[i] for i in kept), len(kept)),
               "good_pairs_still_kept": _rate(sum(good[i] for i in kept), sum(good.values())),
               "bad_pairs_rejected": _rate(sum(not good[i] for i in bad_ids if not results[i].keep), len(bad_ids))}
    by_run = {}
    runs_meta = json.loads((out / "runs.json").read_text()) if (out / "runs.json").exists() else {}
    for run in sorted({p["run"] for p in labelled}):
        ids = [p["id"] for p in labelled if p["run"] == run]
        meta = next(p for p in labelled if p["run"] == run)
        by_run[run] = {"model": meta["model"], "check": meta["check"], "prompts": meta["prompts"],
                       "origin": meta.get("origin", "instructions"),
                       "reader_kept_share": _rate(sum(good[i] for i in ids), len(ids)),
                       "strict_kept_reader_share": _rate(sum(good[i] for i in ids if results[i].keep),
                                                         sum(results[i].keep for i in ids))}
        meta = runs_meta.get(run) or {}
        if meta.get("seconds") and len(ids) == meta.get("pairs"):  # every pair of the run labelled
            hours = meta["seconds"] / 3600
            share = by_run[run]["reader_kept_share"]
            by_run[run].update(wall_hours=round(hours, 3), pairs_per_hour=round(len(ids) / hours, 1),
                               reader_kept_per_hour=round(share["k"] / hours, 1),
                               reader_kept_per_hour_ci95=[round(len(ids) * c / hours, 1) for c in share["ci95"]])
    # Runs made with the same settings (seeds, sizes and stops aside), pooled: e.g. every fresh run at
    # today's defaults against every plan-first run. The hashes of the prompt and plan texts are part of
    # the settings: runs that showed the model other shapes or checks of its fills are not pooled.
    by_setting: dict = {}
    for run in by_run:
        cfg = (runs_meta.get(run) or {}).get("config") or {}
        key = " ".join(f"{k}={cfg.get(k)}" for k in ("origin", "check", "prompts", "top_up", "mode", "model",
                                                             "prompt_text", "plans_text")
                       if cfg.get(k) is not None) or "unknown"
        by_setting.setdefault(key, []).append(run)
    by_setting = {k: {"runs": v, "reader_kept_share": _rate(
        sum(good[p["id"]] for p in labelled if p["run"] in v), sum(1 for p in labelled if p["run"] in v))}
        for k, v in by_setting.items()}
    agreement = {}
    names = list(readers)
    if len(names) >= 2:
        a, b = readers[names[0]], readers[names[1]]
        ids = [p["id"] for p in labelled]
        agreement = {f"kappa_{field}": round(kappa([_is_yes(a[i][field]) for i in ids],
                                                   [_is_yes(b[i][field]) for i in ids]), 3)
                     for field in ("good", "instruction_ok")}
        agreement["good_agree"] = sum(_is_yes(a[i]["good"]) == _is_yes(b[i]["good"]) for i in ids)
    if str(ROOT / "experiments") not in sys.path:  # its sibling, also when this script is imported
        sys.path.insert(0, str(ROOT / "experiments"))
    from pair_quality_plans import plan_checks

    res = {"kind": "roboinstruct.pair_quality", "readers": names, "overall": overall, "per_rule": per_rule,
           "by_run": by_run, "by_setting": by_setting, "reader_agreement": agreement,
           "plan_checks": plan_checks(labelled, good, _rate, workers),
           "rows": [{"id": i, "good": good[i], "keep": results[i].keep, "rule": results[i].rule,
                     "reason": results[i].reason} for i in sorted(good)]}
    _write_outputs(out, res, labelled, readers)
    _write_card_measurements(out, by_setting, runs_meta)
    return res


def _is_yes(v) -> bool:
    return v is True or str(v).strip().lower() in ("yes", "true", "1")


def _write_card_measurements(out: Path, by_setting: dict, runs_meta: dict) -> None:
    """What a dataset card quotes (roboinstruct.pipeline.reader_kept): the pooled share per settings group.
    Into the package only from the committed results folder; any other `out` (a test's, a user's own
    labels) gets its own copy beside its tables."""
    from roboinstruct.artifacts import atomic_write
    from roboinstruct.pipeline.reader_kept import PATH, settings_key

    target = PATH if out.resolve() == (ROOT / "experiments" / "results" / "pair-quality").resolve() \
        else out / "reader_kept.json"

    groups = []
    for row in by_setting.values():
        share = row["reader_kept_share"]
        cfg = (runs_meta.get(row["runs"][0]) or {}).get("config") or {}
        if share["n"] and cfg:
            groups.append({"settings": settings_key(cfg), "runs": sorted(row["runs"]), "k": share["k"],
                           "n": share["n"], "rate": share["rate"], "ci95": share["ci95"],
                           "source": out.resolve().relative_to(ROOT).as_posix() if out.resolve().is_relative_to(ROOT)
                           else out.name})
    atomic_write(target, json.dumps({"kind": "roboinstruct.reader_kept", "written_by": "experiments/pair_quality.py measure",
                                   "groups": groups}, indent=1) + "\n")
    log(f"card measurements: {len(groups)} settings groups -> {target}")


def _write_outputs(out: Path, res: dict, labelled: list[dict], readers: dict) -> None:
    from roboinstruct.artifacts import atomic_write, versions
    from roboinstruct.report import BarChart, DataTable, Report, Table

    o = res["overall"]

    def fmt(r: dict) -> str:
        return "—" if r["rate"] is None else f"{r['rate']:.2f} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}] ({r['k']}/{r['n']})"

    md = [f"# Pair quality on blind labels ({o['pairs']} pairs, readers: {', '.join(res['readers'])})", "",
          "| figure | value (95% Wilson interval) |", "|---|---|",
          f"| readers keep, before any check | {fmt(o['reader_kept_share_before_check'])} |",
          f"| readers keep, of the pairs the strict check keeps | {fmt(o['reader_kept_share_of_strict_kept'])} |",
          f"| good pairs the strict check still keeps | {fmt(o['good_pairs_still_kept'])} |",
          f"| not-good pairs the strict check rejects | {fmt(o['bad_pairs_rejected'])} |", "",
          "| rule | rejects | precision | recall | good pairs rejected |", "|---|---|---|---|---|"]
    md += [f"| {k} | {v['rejects']} | {fmt(v['precision'])} | {fmt(v['recall'])} | {v['good_rejected']} |"
           for k, v in sorted(res["per_rule"].items(), key=lambda kv: -kv[1]["rejects"])]
    md += ["", "| run | model | origin | check | prompts | readers keep | readers keep, of strict-kept | pairs/h | "
           "reader-kept pairs/h |", "|---|---|---|---|---|---|---|---|---|"]
    md += [f"| {k} | {v['model']} | {v['origin']} | {v['check']} | {v['prompts']} | {fmt(v['reader_kept_share'])} | "
           f"{fmt(v['strict_kept_reader_share'])} | {v.get('pairs_per_hour', '—')} | "
           f"{v.get('reader_kept_per_hour', '—')} {v.get('reader_kept_per_hour_ci95', '')} |"
           for k, v in res["by_run"].items()]
    md += ["", "| settings (runs pooled) | runs | readers keep |", "|---|---|---|"]
    md += [f"| {k} | {', '.join(v['runs'])} | {fmt(v['reader_kept_share'])} |" for k, v in res["by_setting"].items()]
    from pair_quality_plans import markdown

    md += markdown(res.get("plan_checks"), fmt)
    if res["reader_agreement"]:
        md += ["", "Reader agreement: " + ", ".join(f"{k} {v}" for k, v in res["reader_agreement"].items())]
    atomic_write(out / "table.md", "\n".join(md) + "\n")
    atomic_write(out / "results.json", json.dumps(res, indent=1) + "\n")
    manifest = {"kind": "roboinstruct.pair_quality", "script": "experiments/pair_quality.py measure",
                "inputs": {p.name: p.stat().st_size for p in sorted(out.glob("*.jsonl"))},
                "versions": versions(("roboinstruct", "pyyaml")), "written": time.strftime("%Y-%m-%dT%H:%M:%S")}
    atomic_write(out / "manifest.json", json.dumps(manifest, indent=1) + "\n")
    rep = Report(f"Pair quality on blind labels ({o['pairs']} pairs)", meta={"readers": ", ".join(res["readers"])})
    rep.add(Table("The strict check against readers", ["figure", "value"], [
        ["readers keep, before any check", fmt(o["reader_kept_share_before_check"])],
        ["readers keep, of strict-kept", fmt(o["reader_kept_share_of_strict_kept"])],
        ["good pairs still kept", fmt(o["good_pairs_still_kept"])],
        ["not-good pairs rejected", fmt(o["bad_pairs_rejected"])]]))
    rep.add(Table("Rules", ["rule", "rejects", "precision", "recall", "good rejected"], [
        [k, v["rejects"], fmt(v["precision"]), fmt(v["recall"]), v["good_rejected"]] for k, v in res["per_rule"].items()]))
    rep.add(BarChart("Precision by rule (share of its rejections readers also reject)",
                     [(k, (v["precision"]["rate"] or 0) * 100) for k, v in res["per_rule"].items()], unit="%"))
    by_id = {p["id"]: p for p in labelled}
    rows = [[r["id"], "good" if r["good"] else "not good", "keep" if r["keep"] else "reject", r["rule"] or "",
             r["reason"], by_id[r["id"]]["instruction"], {"code": by_id[r["id"]]["program"]},
             " | ".join(f"{n}: {lab[r['id']].get('why', '')}" for n, lab in readers.items())] for r in res["rows"]]
    rep.add(DataTable("Every labelled pair", ["id", "readers", "strict", "rule", "reason", "instruction", "program",
                                              "readers' why"], rows))
    rep.write(out / "report.html")


def roboeval_success(out: Path, checkout: str, dev_programs: str, workers: int | None = None) -> dict:
    """False rejections: programs RoboEval's own evaluator marks Success, each paired with every
    prompt of its task (evaluation only: RoboEval's text is never training data here)."""
    from roboinstruct.artifacts import atomic_write
    from roboinstruct.benchmark import evaluate_programs, load_tasks
    from roboinstruct.domain import load_domain
    from roboinstruct.quality import assess_pairs

    spec = f"roboeval:{Path(checkout).resolve()}"
    suite = load_tasks(spec)
    dev = _read_jsonl(Path(dev_programs))
    rows = [{"task": r["task"], "prompt_index": 0, "program": r["program"]} for r in dev]
    evaluated = evaluate_programs(rows, spec, workers=workers)
    success = [r for r in evaluated if r["verdict"] == "Success"]
    pairs = [{"id": f"{i}/{p}", "instruction": prompt, "program": r["program"]}
             for i, r in enumerate(success) for p, prompt in enumerate(suite[r["task"]].prompts)]
    results = assess_pairs(pairs, load_domain(), check="strict", workers=workers)
    refused = [{"id": r.id, "rule": r.rule, "reason": r.reason} for r in results if not r.keep]
    res = {"kind": "roboinstruct.pair_quality.roboeval_success", "dev_programs": len(dev), "success": len(success),
           "pairs": len(pairs), "false_rejections": _rate(len(refused), len(pairs)), "refused": refused,
           "by_task": dict(Counter(r["task"] for r in success))}
    atomic_write(out / "roboeval_success.json", json.dumps(res, indent=1) + "\n")
    log(f"RoboEval-Success programs: {len(success)} of {len(dev)}; strict refuses {len(refused)} of {len(pairs)} pairs")
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("out")
    c.add_argument("runs", nargs="+")
    c.add_argument("--tag", action="append", help="a name per run (default: the run directory's name)")
    c.add_argument("--seconds", type=float, help="wall time of a run stopped before its target (from its log)")
    f = sub.add_parser("finalize")
    f.add_argument("run_dir")
    m = sub.add_parser("measure")
    m.add_argument("out")
    m.add_argument("--workers", type=int, default=None)
    b = sub.add_parser("sheet")
    b.add_argument("out")
    b.add_argument("name")
    b.add_argument("takes", nargs="+", help="RUN or RUN:FRACTION (run names as in pairs.jsonl)")
    e = sub.add_parser("roboeval-success")
    e.add_argument("out")
    e.add_argument("--checkout", default=str(ROOT.parent / "shared" / "roboeval"))
    e.add_argument("--dev-programs", default=str(ROOT.parent / "shared" / "data" / "dev_programs.jsonl"))
    e.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    if args.cmd == "roboeval-success":
        roboeval_success(Path(args.out), args.checkout, args.dev_programs, args.workers)
    elif args.cmd == "sheet":
        sheet(Path(args.out), args.name, args.takes)
    elif args.cmd == "finalize":
        finalize(args.run_dir)
    elif args.cmd == "collect":
        collect(Path(args.out), args.runs, args.tag, args.seconds)
    else:
        res = measure(Path(args.out), args.workers)
        print((Path(args.out) / "table.md").read_text())
        log(f"kept share of strict-kept: {res['overall']['reader_kept_share_of_strict_kept']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
