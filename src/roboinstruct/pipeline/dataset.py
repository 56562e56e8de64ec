"""Stages 6–7: post-process the chosen pairs and write the dataset, card and manifest.

Outputs are rebuilt from the stage records on every run (cheap, and always consistent
with them) and written atomically: a kill never leaves a half-written dataset file.
"""

from __future__ import annotations

import ast
import hashlib
import json
import time
from pathlib import Path

from ..artifacts import atomic_write, versions, write_json
from ..core import parquet
from .records import RunRecords
from .stats import compute_stats

PACKAGES = ("roboinstruct", "xllamacpp", "httpx", "pyarrow", "rich", "jinja2", "pyyaml")


def calls_api(program: str, api_names: set[str]) -> bool:
    try:
        tree = ast.parse(program)
    except SyntaxError:
        return False
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in api_names
               for n in ast.walk(tree))


def _norm_code(program: str) -> str:
    try:
        return ast.unparse(ast.parse(program))  # formatting and comments do not make a new program
    except SyntaxError:
        return " ".join(program.split())


def build_rows(rec: RunRecords) -> tuple[list[dict], dict]:
    """Final rows and the counts of what post-processing dropped, by reason."""
    api = set(rec.domain.functions)
    rows, seen_prog, seen_text = [], set(), set()
    dropped = {"empty": 0, "no robot API call": 0, "duplicate program": 0, "duplicate instruction": 0}
    for inst, att in rec.chosen:
        al = rec.aligned.get(inst["id"])
        final = " ".join(((al or {}).get("final") or inst["instruction"] or "").split())
        program = (att.get("program") or "").strip("\n")
        if not final or not program:
            dropped["empty"] += 1
            continue
        if not calls_api(program, api):
            dropped["no robot API call"] += 1
            continue
        pkey, tkey = _norm_code(program), final.lower()
        if pkey in seen_prog:
            dropped["duplicate program"] += 1
            continue
        if tkey in seen_text:
            dropped["duplicate instruction"] += 1
            continue
        seen_prog.add(pkey)
        seen_text.add(tkey)
        v = att["verdict"]
        rows.append({
            "id": inst["id"], "instruction": final, "original_instruction": inst["instruction"],
            "program": program + "\n", "attempts": len(rec.attempts_of(inst["id"])),
            "verdict": {"valid": v["valid"], "error_kind": v["error_kind"], "paths": v["paths"],
                        "exhaustive": v["exhaustive"], "message": v["message"],
                        # both calls: this project's check, and whether the paper's RoboSim accepted it
                        "check": v.get("check", "reference"), "reference_valid": v.get("reference_valid", v["valid"]),
                        "agreement": (att.get("agreement") or {}).get("share")},
            "provenance": {"method": inst.get("method"), "round": inst["round"], "index": inst["index"],
                           "mode": rec.config.mode, "attempt": att["attempt"],
                           "instalign": (al or {}).get("choice"), "operator": inst.get("operator")},
        })
    return rows, dropped


def write_parquet(rows: list[dict], path: Path, columns=None) -> None:
    """The same rows as dataset.jsonl, with the same nested columns (structs), not JSON strings;
    `columns`: a pyarrow schema (default: this pipeline's `schema()`)."""
    parquet.write_parquet(rows, path, columns or schema())


def schema():
    """The dataset's columns (typed: a Parquet user filters on verdict.paths without parsing)."""
    import pyarrow as pa

    return pa.schema([
        ("id", pa.string()), ("instruction", pa.string()), ("original_instruction", pa.string()),
        ("program", pa.string()), ("attempts", pa.int64()),
        ("verdict", pa.struct([("valid", pa.bool_()), ("error_kind", pa.string()), ("paths", pa.int64()),
                               ("exhaustive", pa.bool_()), ("message", pa.string()), ("check", pa.string()),
                               ("reference_valid", pa.bool_()), ("agreement", pa.float64())])),
        ("provenance", pa.struct([("method", pa.string()), ("round", pa.int64()), ("index", pa.int64()),
                                  ("mode", pa.string()), ("attempt", pa.int64()), ("instalign", pa.string()),
                                  ("operator", pa.string())])),
    ])


def _earlier_invocations(path: Path, fingerprint: str) -> list[dict]:
    """The invocations an earlier manifest of this run recorded (one made before this history was
    kept counts as one); none when there is no manifest, or it is another run's or unreadable."""
    try:
        prev = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    if not isinstance(prev, dict) or prev.get("fingerprint") != fingerprint:
        return []
    if isinstance(prev.get("invocations"), list):
        return [i for i in prev["invocations"] if isinstance(i, dict) and isinstance(i.get("notes"), list)
                and isinstance(i.get("seconds"), (int, float))]
    return [{"updated": prev.get("updated"), "seconds": prev.get("seconds_this_invocation") or 0.0,
             "notes": [n for n in prev.get("notes") or [] if isinstance(n, str)]}]


def write_outputs(run_dir: Path, rec: RunRecords, started: float) -> dict:
    rows, dropped = build_rows(rec)
    jsonl = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    atomic_write(run_dir / "dataset.jsonl", jsonl)
    write_parquet(rows, run_dir / "dataset.parquet")
    stats = compute_stats(rec, rows, dropped)
    cfg = rec.config
    seconds = round(time.time() - started, 1)
    updated = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    # a resumed run keeps what the earlier invocations did and took (their stage notes and seconds)
    history = _earlier_invocations(run_dir / "manifest.json", rec.fingerprint)
    history.append({"updated": updated, "seconds": seconds, "notes": list(rec.notes)})
    manifest = {
        "kind": "roboinstruct.dataset",
        "fingerprint": rec.fingerprint,
        "config": cfg.fingerprinted(),
        "runtime": {k: getattr(cfg, k) for k in ("workers", "executor", "no_cache")},
        "domain": {"name": rec.domain.name, "source": rec.domain.source},
        "seeds": {"count": len(rec.seeds), "file": cfg.seeds_file or f"builtin:{rec.domain.name}"},
        "versions": versions(PACKAGES),
        "files": {"dataset.jsonl": hashlib.sha256(jsonl).hexdigest(), "rows": len(rows)},
        "stats": stats,
        "notes": list(dict.fromkeys(n for inv in history for n in inv["notes"])),
        "updated": updated,
        "seconds_this_invocation": seconds,
        "seconds_all_invocations": round(sum(inv["seconds"] for inv in history), 1),
        "invocations": history,
    }
    write_json(run_dir / "manifest.json", manifest)
    from .card import card_text

    atomic_write(run_dir / "README.md", card_text(rec, rows, stats))
    from .report import write_report

    write_report(run_dir, manifest)
    return manifest
