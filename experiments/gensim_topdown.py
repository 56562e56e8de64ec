"""GenSim's generation loop at a scale that says something: top-down towards GenSim's targets, with
GenSim's own library as the examples.

    python experiments/gensim_topdown.py experiments/gensim-topdown.yaml     # the embedded 1.5B, CPU

The library is built once into OUT/library (git-ignored: the checkout's own code) from the checkout
`library.gensim` names, as `experiments/gensim_library.py` builds it (its accepted tasks under
GenSim's rule, the targets' near-copies held out by content). For each target task (default:
GenSim's ten fine-tuning targets, `tabletop:gensim-targets`) a resumable GenSim run
(`roboinstruct.gensim`, mode top-down: propose the target's specification, write its code from the
most similar library tasks, validate, repair, critic) of `trials` trials starts from that library
(the base library plus it) in OUT/<target>/. Pooled over every trial: the stage pass rates (trials accepted;
per code attempt GenSim's syntax, runtime and completion rates; first attempts) with 95% Wilson
intervals, where trials were rejected, and the critic's false accepts as far as assets can show
them: an accepted task whose code loads none of an asset family its own proposal named (the task
built is not the task proposed). Each run's own report holds its accepted tasks' pictures; the
summary links them. Writes OUT/table.{md,json,html} and OUT/manifest.json.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from script_io import logger, read_config, start

PHASES = ("generate",)
log = logger("gensim-topdown")
RATES = (("trials accepted", "accepted"), ("code attempts: syntax", "syntax_pass"),
         ("code attempts: runtime", "runtime_pass"), ("code attempts: completion", "completion_pass"),
         ("first attempts passing validation", "first_attempt_pass"))


def load(path: str) -> dict:
    return read_config(path, ("out", "library", "generate"), "gensim-topdown.yaml")


def targets(cfg: dict) -> list[str]:
    if cfg.get("targets"):
        return list(cfg["targets"])
    from roboinstruct.tabletop.tasks.heldout import load_heldout

    return list(load_heldout("tabletop:gensim-targets"))  # GenSim's order


def run_config(cfg: dict, target: str, out: Path, library_dir: Path):
    from roboinstruct.gensim.config import load_config

    return load_config(None, {**cfg["generate"], "mode": cfg["generate"].get("mode", "top-down"), "target": target,
                              "library": f"gensim:{library_dir}", "out": str(out / target)}).validate()


def run_target(cfg: dict, target: str, out: Path, library_dir: Path) -> tuple[dict, list[dict], list[dict]]:
    """(stats, trial records, accepted rows) of the target's run, resumed where it stopped."""
    from roboinstruct.gensim.loop import GensimRun

    run = GensimRun(run_config(cfg, target, out, library_dir),
                    progress=lambda stage, done, total: log(f"{target}: {stage} {done}/{total}"))
    try:
        summary = run.run()
        rec = run.records()
        return summary["stats"], list(rec.trials), list(rec.accepted)
    finally:
        run.close()


def family(asset: str) -> str:
    return asset.strip().split("/")[0].lower()


def asset_mismatch(trial: dict, accepted: dict) -> list[str]:
    """Asset families the proposal named that the accepted code never loads."""
    loaded = {family(a) for a in accepted.get("assets", [])}
    return sorted({family(a) for a in trial.get("proposed_assets", []) if a.strip()} - loaded)


def pooled(per_target: dict) -> dict:
    from roboinstruct.core.intervals import wilson_ci

    out = {}
    for _, key in RATES:
        k = sum(s[key]["k"] for s, _, _ in per_target.values())
        n = sum(s[key]["n"] for s, _, _ in per_target.values())
        lo, hi = wilson_ci(k, n)
        out[key] = {"k": k, "n": n, "rate": round(k / n, 4) if n else None, "ci95": [lo, hi]}
    rejected: dict[str, int] = {}
    for s, _, _ in per_target.values():
        for stage, n in s["rejected_at"].items():
            rejected[stage] = rejected.get(stage, 0) + n
    out["rejected_at"] = dict(sorted(rejected.items(), key=lambda kv: -kv[1]))
    return out


def critic_checks(per_target: dict) -> list[dict]:
    rows = []
    for target, (_, trials, accepted) in per_target.items():
        by_name = {a["name"]: a for a in accepted}
        for t in trials:
            if t.get("status") == "accepted" and t.get("name") in by_name:
                a = by_name[t["name"]]
                rows.append({"target": target, "trial": t["trial"], "task": t["name"],
                             "proposed": sorted(t.get("proposed_assets", [])), "loaded": sorted(a.get("assets", [])),
                             "missing families": asset_mismatch(t, a)})
    return rows


def main() -> int:
    from gensim_library import library

    _, cfg, out = start(__doc__, PHASES, load)
    started, per_target, seconds = time.time(), {}, {}
    lib = library(cfg, out / "library")
    log(f"library: {lib['counts']['accepted']} GenSim tasks (+ the base library)")
    for target in targets(cfg):
        t0 = time.time()
        log(f"{target}: {cfg['generate'].get('trials')} trials")
        per_target[target] = run_target(cfg, target, out, out / "library")
        seconds[target] = round(time.time() - t0, 1)  # this invocation's share: resumed runs are fast
        write(out, cfg, per_target, seconds, started)
    print((out / "table.md").read_text())
    return 0


def cell(r: dict) -> str:
    return f"{r['k']}/{r['n']} = {r['rate']:.2f} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}]" if r["n"] else "–"


def write(out: Path, cfg: dict, per_target: dict, seconds: dict, started: float) -> None:
    from roboinstruct.artifacts import versions
    from roboinstruct.report import BarChart, Report, Table, Text

    pool = pooled(per_target)
    checks = critic_checks(per_target)
    false = [c for c in checks if c["missing families"]]
    md = [f"# GenSim's loop, top-down towards its targets ({cfg.get('scale', 'unspecified scale')})", "",
          cfg.get("note", "").strip(), "", "## Pooled over every trial (95% Wilson intervals)", "",
          "| what | passed / tried |", "|---|---|"]
    md += [f"| {label} | {cell(pool[key])} |" for label, key in RATES]
    md += ["", f"Rejected at: {pool['rejected_at']}.", "",
           f"Critic's accepts whose code loads none of an asset family its proposal named: {len(false)} of "
           f"{len(checks)} accepted.", "", "## Per target", "",
           "| target | trials | accepted | completion per code attempt | wall s (this invocation) | report |",
           "|---|---|---|---|---|---|"]
    for target, (s, _, _) in per_target.items():
        md.append(f"| {target} | {s['trials']} | {cell(s['accepted'])} | {cell(s['completion_pass'])} | "
                  f"{seconds.get(target, '')} | [{target}/report.html]({target}/report.html) |")
    if checks:
        md += ["", "## Accepted tasks: proposed vs loaded assets", "",
               "| target | trial | task | proposed | loaded | proposed families not loaded |", "|---|---|---|---|---|---|"]
        md += [f"| {c['target']} | {c['trial']} | {c['task']} | {', '.join(c['proposed'])} | {', '.join(c['loaded'])} "
               f"| {', '.join(c['missing families']) or '—'} |" for c in checks]
    (out / "table.md").write_text("\n".join(md) + "\n")
    body = {"pooled": pool, "per_target": {t: s for t, (s, _, _) in per_target.items()}, "critic_checks": checks,
            "seconds": seconds}
    (out / "table.json").write_text(json.dumps(body, indent=2))
    rep = Report("GenSim's loop, top-down towards its targets", meta={"scale": cfg.get("scale", "?"),
                                                                     "targets": len(per_target)})
    rep.add(Text("Setup", cfg.get("note", "")))
    rep.add(Table("Pooled stage pass rates (95% Wilson intervals)", ["what", "passed / tried"],
                  [[label, cell(pool[key])] for label, key in RATES]))
    rep.add(BarChart("Where trials were rejected (all targets)", [(k, float(v)) for k, v in pool["rejected_at"].items()]))
    rep.add(Table("Per target (each run's report shows its accepted tasks' pictures)",
                  ["target", "trials", "accepted", "report"],
                  [[t, s["trials"], cell(s["accepted"]), f"{t}/report.html"] for t, (s, _, _) in per_target.items()]))
    rep.add(Table("Accepted tasks: proposed vs loaded assets", ["target", "trial", "task", "proposed", "loaded", "missing"],
                  [[c["target"], c["trial"], c["task"], ", ".join(c["proposed"]), ", ".join(c["loaded"]),
                    ", ".join(c["missing families"]) or "—"] for c in checks]))
    rep.write(out / "table.html")
    (out / "manifest.json").write_text(json.dumps({
        "kind": "roboinstruct.gensim-topdown-experiment", "config": cfg, **body,
        "versions": versions(("roboinstruct", "pybullet", "xllamacpp")), "seconds": round(time.time() - started, 1),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())
