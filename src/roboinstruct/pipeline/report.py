"""`roboinstruct report RUN_DIR`: the run's statistics as an offline HTML page."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UserError
from ..report import BarChart, Report, Table, Text


def write_report(run_dir: Path, manifest: dict | None = None) -> Path:
    run_dir = Path(run_dir)
    if manifest is None:
        mf = run_dir / "manifest.json"
        if not mf.exists():
            raise UserError(f"{run_dir} has no manifest.json; is it a finished or resumed generation run?")
        manifest = json.loads(mf.read_text())
    s = manifest["stats"]
    cfg = manifest["config"]
    rep = Report(f"Generation run {manifest['fingerprint']}",
                 meta={"mode": cfg["mode"], "method": cfg["method"], "model": cfg.get("model") or cfg["backend"],
                       "seed": cfg["seed"], "updated": manifest["updated"]})
    rep.add(Table("Funnel", ["stage", "count"], [
        ["instructions generated", s["instructions_generated"]], ["kept after dedup", s["instructions_kept"]],
        ["programs sampled", s["programs_sampled"]], ["programs valid", s["programs_valid"]],
        ["pairs in dataset", s["pairs"]]]))
    rep.add(BarChart("Discard rate by resample budget (share of instructions without a valid program)",
                     [(f"{c['resamples']} resamples", c["discard_rate"] * 100) for c in s["discard_curve"]], unit="%"))
    rep.add(BarChart("Rejected programs by error kind", sorted(s["rejected_by_error_kind"].items(), key=lambda kv: -kv[1])))
    rep.add(BarChart("Dropped instructions by reason", sorted(s["instructions_dropped"].items(), key=lambda kv: -kv[1])))
    ia = s["instalign"]
    rep.add(Table("InstAlign", ["aligned", "revised chosen", "original chosen", "fallbacks", "revision rate"],
                  [[ia["aligned"], ia["revised_chosen"], ia["original_chosen"], ia["fallbacks"], ia["revision_rate"]]]))
    rep.add(Table("Diversity and cost", ["4-gram diversity", "distinct names", "tokens per pair", "model s per pair"],
                  [[s["diversity_4gram"], json.dumps(s["distinct_names"]), s["tokens_per_pair"], s["model_seconds_per_pair"]]]))
    rep.add(Text("Notes", "\n".join(manifest.get("notes") or []) or "-", preformatted=True))
    return rep.write(run_dir / "report.html")
