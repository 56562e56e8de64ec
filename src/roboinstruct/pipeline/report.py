"""`roboinstruct report RUN_DIR`: the run's statistics as an offline HTML page."""

from __future__ import annotations

import json
from pathlib import Path

from ..artifacts import read_finished
from ..browse import word_diff
from ..errors import UserError
from ..report import BarChart, DataTable, Report, Table, Text


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
    if cfg.get("check") == "strict":  # the meaning rules: which ones refused programs RoboSim accepted
        rep.add(BarChart("Programs rejected by a meaning rule (RoboSim's reference semantics accepted them)",
                         sorted((s.get("rejected_by_meaning_rule") or {}).items(), key=lambda kv: -kv[1])))
        gates = {k: v for k, v in s["instructions_dropped"].items() if k.startswith("gate:")}
        rep.add(Table("Strict check", ["instructions refused by a gate", "programs refused by a meaning rule",
                                       "InstAlign revisions refused", "agreement (instructions, no majority)"],
                      [[sum(gates.values()), sum((s.get("rejected_by_meaning_rule") or {}).values()),
                        (s.get("instalign") or {}).get("refused", 0),
                        "off" if not s.get("agreement") else
                        f"{s['agreement']['instructions']}, {s['agreement']['no_majority']}"]]))
    ia = s["instalign"]
    fallbacks = ", ".join(f"{n} {why}" for why, n in sorted((ia.get("fallback_reasons") or {}).items())) \
        or str(ia["fallbacks"])  # runs whose stats predate the breakdown
    rep.add(Table("InstAlign", ["aligned", "revised chosen", "original chosen", "original kept because", "revision rate"],
                  [[ia["aligned"], ia["revised_chosen"], ia["original_chosen"], fallbacks if ia["fallbacks"] else "-",
                    f"{ia['revision_rate']:.0%}"]]))
    rep.add(Table("Diversity and cost", ["4-gram diversity", "tokens per pair", "model s per pair"],
                  [[s["diversity_4gram"], s["tokens_per_pair"], s["model_seconds_per_pair"]]]))
    if s.get("distinct_names"):
        rep.add(Table("Distinct names in the programs, by kind", ["kind", "names"],
                      [[k, v] for k, v in s["distinct_names"].items()]))
    q, tok = s.get("quality") or {}, s.get("tokens") or {}
    if q:
        rep.add(Table("Quality and tokens", ["first sample valid", "solvable", "InstAlign parse failures",
                                             "prompt tokens sent", "prompt tokens evaluated", "completion tokens"],
                      [[f"{q['first_sample_valid_rate']:.1%}", f"{q['solvable_rate']:.1%}",
                        f"{q['instalign_parse_failure_rate']:.1%}", tok.get("prompt", 0),
                        tok.get("prompt_evaluated", tok.get("prompt", 0)), tok.get("completion", 0)]]))
    for table in evidence_tables(run_dir):
        rep.add(table)
    rep.add(Text("Notes", "\n".join(manifest.get("notes") or []) or "-", preformatted=True))
    return rep.write(run_dir / "report.html")


def evidence_tables(run_dir: Path) -> list[DataTable]:
    """The evidence for every keep/drop decision: the pairs, InstAlign's rewrites as diffs,
    and each rejected program with its counterexample (from the run's own files)."""
    rows = read_finished(run_dir / "dataset.jsonl", "program")
    stages = run_dir / "stages"
    instructions = {r["id"]: r.get("instruction") for r in read_finished(stages / "instructions.jsonl", "id")}
    aligned = read_finished(stages / "instalign.jsonl", "id")
    rejected = [a for a in read_finished(stages / "programs.jsonl", "verdict") if not a["verdict"].get("valid")]
    pairs = DataTable("Pairs", ["id", "instruction", "program", "RoboSim", "samples", "InstAlign"], [
        [r["id"], r["instruction"], {"code": r["program"]},
         f"valid, {r['verdict']['paths']} paths" + (" (all)" if r["verdict"].get("exhaustive") else "")
         + (", strict checks passed" if r["verdict"].get("check") == "strict" else ""),
         r["attempts"], (r.get("provenance") or {}).get("instalign") or "-"] for r in rows],
        note="Every pair in dataset.jsonl. Search any word of an instruction or program.",
        widths=["8%", "24%", "36%", "12%", "9%", "11%"])
    diffs = DataTable("InstAlign: original → revised instruction", ["id", "change (removed / added)", "kept", "note"], [
        [a["id"], word_diff(a.get("original", ""), a.get("revised") or a.get("original", "")), a.get("choice"),
         a.get("fallback") or ""] for a in aligned],
        note="Struck-through words were removed, highlighted ones added; 'kept' is the selector's choice.",
        widths=["8%", "62%", "10%", "20%"])
    bad = DataTable("Rejected programs and their counterexamples",
                    ["id", "instruction", "attempt", "error", "program", "counterexample"], [
        [a["id"], instructions.get(a["id"]) or "", a["attempt"], _error(a["verdict"]),
         {"code": a.get("program") or a.get("raw", "")}, {"lines": _counterexample(a["verdict"])}] for a in rejected],
        note="Each program RoboSim rejected: the failing path's choices and API calls (last 12 of each).",
        widths=["7%", "18%", "6%", "19%", "28%", "22%"])
    return [pairs, diffs, bad]


def _error(v: dict) -> str:
    where = f" (line {v['line']})" if v.get("line") else ""
    rule = f" [{v['rule']}]" if v.get("rule") else ""
    return f"{v.get('error_kind') or 'error'}{rule}{where}: {v.get('message', '')}"


def _counterexample(v: dict) -> list[str]:
    lines = [f"choice: {c}" for c in v.get("choices") or []]
    return lines + [f"call: {t}" for t in v.get("trace") or []] or ["(no path ran: rejected before execution)"]
