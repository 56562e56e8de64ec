"""The ablation's table, assembled from the score results on disk, not from one invocation's memory.

On 2 CPU cores a row (fine-tune ~1 h, four scores) takes a working session, so the table grows
across sessions: each score directory's results.json (numbers, config, lineage; committed) is a
cell source, and rows still missing a score are listed as pending instead of dropped. A results file
made with other settings than the config asks for (another temperature, sample count, prompt layout,
token budget or task set) is not counted: the table says so rather than mixing protocols.
The difference from the tuned model's base is paired by task (the same 80 prompts for both), with
a bootstrap interval, so "tuned beats base" reads off one column; a tuned row asked in another layout
(`also_formats`) is compared with its base asked in that layout, never across layouts.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

def base_dir(out: Path, cfg: dict, base: str) -> Path:
    bases = bases_of(cfg)
    return out / "base" if len(bases) == 1 else out / f"base-{Path(base).name}"


def cell_name(kind: str, fmt: str | None = None) -> str:
    """A score's directory name: `greedy` / `sampled`, with `-FORMAT` when asked in another layout than
    the config's (base-X/greedy-stubs, ROW/score-sampled-stubs)."""
    return f"{kind}-{fmt}" if fmt else kind


def bases_of(cfg: dict) -> list[str]:
    return cfg["score"].get("bases") or ([cfg["finetune"].get("base", "qwen2.5-coder-0.5b")]
                                         if cfg["score"].get("score_base") else [])


def expected(cfg: dict, greedy: bool, prompt_format: str | None = None) -> dict:
    sc = cfg["score"]
    want = {"prompt_format": prompt_format or sc.get("prompt_format"), "max_tokens": sc.get("max_tokens"),
            "tasks": sc.get("tasks")}
    if greedy:
        want.update(temperature=0.0, n=1)
    else:
        sampled = sc.get("sampled", {"n": 20, "temperature": 0.2})
        want.update(temperature=sampled["temperature"], n=sampled["n"])
    # smoke runs (a task subset, the first K prompts) never count as a row's score
    return {**{k: v for k, v in want.items() if v is not None}, "limit": None, "prompts": None}


def read_cell(where: Path, want: dict) -> tuple[dict | None, str]:
    """(results, '') when WHERE holds a finished score with the wanted settings, else (None, why)."""
    path = where / "results.json"
    if not path.is_file():
        return None, "pending"
    res = json.loads(path.read_text())
    got = res.get("config", {})
    off = [f"{k} {got.get(k)!r} (config: {v!r})" for k, v in want.items()
           if k in got and float_or(got[k]) != float_or(v)]
    return (None, f"other settings: {', '.join(off)}") if off else (res, "")


def float_or(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return v


def _ci(r: dict | None) -> str:
    if not r:
        return "—"
    lo, hi = r.get("pass@1_ci95") or (float("nan"), float("nan"))
    return f"[{lo:.3f}, {hi:.3f}]"


def _num(r: dict | None, key: str):
    return round(r[key], 3) if r else "—"


def _invalid_ci(r: dict | None) -> str:
    """Wilson 95% interval of the invalid-program share (programs taken as independent draws)."""
    from roboinstruct.core.intervals import wilson_ci

    if not r or not r.get("programs"):
        return "—"
    lo, hi = wilson_ci(round(r["invalid_rate"] * r["programs"]), r["programs"])
    return f"[{lo:.3f}, {hi:.3f}]"


def _delta(base: dict | None, other: dict | None) -> str:
    from roboinstruct.core.intervals import difference_ci

    if not base or not other or other is base:
        return "—"
    d = difference_ci(base.get("per_prompt") or {}, other.get("per_prompt") or {})
    if d is None:
        return "—"
    diff, lo, hi = d
    return f"{diff:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def row(label: str, pairs, greedy: dict | None, sampled: dict | None, lineage: dict,
        base: tuple[dict | None, dict | None] = (None, None), seconds: dict | None = None,
        temperature: float = 0.2) -> dict:
    """One table row; a missing score (None) reads '—' in its cells."""
    t = temperature
    return {"mode": label, "pairs": pairs,
            "pass@1 greedy": _num(greedy, "pass@1"), "95% CI greedy": _ci(greedy),
            "Δ greedy vs base [95% CI]": _delta(base[0], greedy),
            f"pass@1 T={t}": _num(sampled, "pass@1"), f"95% CI T={t}": _ci(sampled),
            f"Δ T={t} vs base [95% CI]": _delta(base[1], sampled),
            "invalid (greedy)": _num(greedy, "invalid_rate"), "95% CI invalid (greedy)": _invalid_ci(greedy),
            "invalid (sampled)": _num(sampled, "invalid_rate"), "95% CI invalid (sampled)": _invalid_ci(sampled),
            "errors (greedy)": ", ".join(f"{k} {v}" for k, v in sorted((greedy or {}).get("breakdown", {}).items()))
            or "—",
            **lineage, **({"seconds": seconds} if seconds else {})}


def gather(out: Path, cfg: dict, rows_cfg: list[dict]) -> tuple[list[dict], list[str]]:
    """(table rows, pending notes): every base and tuned row with at least one finished score."""
    t = cfg["score"].get("sampled", {"temperature": 0.2})["temperature"]
    rows, pending = [], []

    def cells(label: str, greedy_dir: Path, sampled_dir: Path, fmt: str | None = None):
        g, why_g = read_cell(greedy_dir, expected(cfg, True, fmt))
        s, why_s = read_cell(sampled_dir, expected(cfg, False, fmt))
        for cell, why in (("greedy", why_g), ("sampled", why_s)):
            if why:
                pending.append(f"{label}, {cell}: {why}")
        return g, s

    tuned_base = cfg["finetune"].get("base", "qwen2.5-coder-0.5b")
    formats = [None, *cfg["score"].get("also_formats", [])]
    base_of_tuned = {}  # layout -> (greedy, sampled) of the tuned model's base asked that way
    for fmt in formats:
        for base in bases_of(cfg):
            where = base_dir(out, cfg, base)
            label = f"base ({base}, no fine-tuning)" + (f" (asked in the {fmt} layout)" if fmt else "")
            g, s = cells(label, where / cell_name("greedy", fmt), where / cell_name("sampled", fmt), fmt)
            if base == tuned_base:
                base_of_tuned[fmt] = (g, s)
            if g or s:
                rows.append(row(label, 0, g, s, {"dataset": "—", "adapter": "—",
                                                 "score": (g or s)["fingerprint"]}, temperature=t))
    for r in rows_cfg:
        name, data = r["name"], out / r["name"] / "data" / "manifest.json"
        manifest = json.loads(data.read_text()) if data.is_file() else {}
        pairs = manifest.get("stats", {}).get("pairs", "—")
        licensed = out / name / "train" / "manifest.json"  # ablation.licensed_training_set's subset
        if licensed.is_file():
            stats = json.loads(licensed.read_text())["stats"]
            pairs = f"{stats['pairs']} (of {stats['generated']}: {stats['left_out']} too close to RoboEval's files)"
        seconds = read_seconds(out / name)
        for fmt in formats:
            label = r["label"] + (f" (asked in the {fmt} layout)" if fmt else "")
            g, s = cells(label, out / name / f"score-{cell_name('greedy', fmt)}",
                         out / name / f"score-{cell_name('sampled', fmt)}", fmt)
            if not (g or s):
                continue
            lin = (g or s).get("lineage", {})
            rows.append(row(label, pairs, g, s, {"dataset": manifest.get("fingerprint", "—"),
                                                 "adapter": lin.get("adapter_fingerprint", "—"),
                                                 "score": (g or s)["fingerprint"]},
                            base_of_tuned.get(fmt, (None, None)), seconds if not fmt else None,
                            temperature=t))
    return rows, pending


def read_seconds(row_dir: Path) -> dict:
    path = row_dir / "seconds.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def add_seconds(row_dir: Path, phase: str, seconds: float) -> None:
    """Wall time per phase, summed over invocations (a phase killed and resumed counts both parts;
    a phase found finished adds its few seconds of checking)."""
    have = read_seconds(row_dir)
    have[phase] = round(have.get(phase, 0.0) + seconds, 1)
    row_dir.mkdir(parents=True, exist_ok=True)
    (row_dir / "seconds.json").write_text(json.dumps(have, indent=2) + "\n")


def write(out: Path, cfg: dict, rows: list[dict], started: float, pending: list[str] = ()) -> None:
    from roboinstruct.artifacts import versions
    from roboinstruct.report import BarChart, Report, Table, Text

    cols = [c for c in (rows[0] if rows else {}) if c != "seconds"]
    md = [f"# Ablation ({cfg.get('scale', 'unspecified scale')})", "", cfg.get("note", "").strip(), "",
          "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    md += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    if pending:
        md += ["", "Not in the table yet (scores not finished or made with other settings):", ""]
        md += [f"- {p}" for p in pending]
    (out / "table.md").write_text("\n".join(md) + "\n")
    (out / "table.json").write_text(json.dumps(rows, indent=2))
    rep = Report("Ablation: pipeline mode → fine-tuned pass@1", meta={"scale": cfg.get("scale", "?")})
    rep.add(Text("Scale", cfg.get("note", "") or cfg.get("scale", "")))
    rep.add(Table("Table 2 shape", cols, [[r[c] for c in cols] for r in rows]))
    for col in [c for c in cols if c.startswith(("pass@1", "invalid ("))]:
        rep.add(BarChart(col, [(r["mode"], float(r[col])) for r in rows if r[col] != "—"]))
    if pending:
        rep.add(Text("Pending", "; ".join(pending)))
    rep.write(out / "table.html")
    manifest = {"kind": "roboinstruct.ablation", "config": cfg, "rows": rows, "pending": list(pending),
                "versions": versions(("roboinstruct", "torch", "transformers", "peft", "trl", "xllamacpp")),
                "seconds_this_invocation": round(time.time() - started, 1),
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
