"""Stages 6–7: post-process the chosen pairs and write the dataset, card and manifest.

Outputs are rebuilt from the stage records on every run (cheap, and always consistent
with them) and written atomically: a kill never leaves a half-written dataset file.
"""

from __future__ import annotations

import ast
import hashlib
import json
import platform
import time
from importlib import metadata
from pathlib import Path

from .stats import compute_stats

COLUMNS = ("id", "instruction", "original_instruction", "program", "attempts", "verdict", "provenance")


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


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


def build_rows(run) -> tuple[list[dict], dict]:
    """Final rows and the counts of what post-processing dropped, by reason."""
    api = set(run.domain.functions)
    rows, seen_prog, seen_text = [], set(), set()
    dropped = {"empty": 0, "no robot API call": 0, "duplicate program": 0, "duplicate instruction": 0}
    for inst, att in run.chosen_pairs():
        al = run.aligned.get(inst["id"])
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
            "program": program + "\n", "attempts": len(run.attempts_of(inst["id"])),
            "verdict": {"valid": v["valid"], "error_kind": v["error_kind"], "paths": v["paths"],
                        "exhaustive": v["exhaustive"], "message": v["message"]},
            "provenance": {"method": inst.get("method"), "round": inst["round"], "index": inst["index"],
                           "mode": run.cfg.mode, "attempt": att["attempt"],
                           "instalign": (al or {}).get("choice"), "operator": inst.get("operator")},
        })
    return rows, dropped


def _versions() -> dict:
    out = {"python": platform.python_version()}
    for pkg in ("roboinstruct", "xllamacpp", "httpx", "pyarrow", "rich", "jinja2", "pyyaml"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def write_parquet(rows: list[dict], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([{**r, "verdict": json.dumps(r["verdict"]), "provenance": json.dumps(r["provenance"])}
                                  for r in rows],
                                 schema=pa.schema([(c, pa.int64() if c == "attempts" else pa.string()) for c in COLUMNS]))
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)


def write_outputs(run, started: float) -> dict:
    rows, dropped = build_rows(run)
    d = run.dir
    jsonl = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    _atomic_write(d / "dataset.jsonl", jsonl)
    write_parquet(rows, d / "dataset.parquet")
    stats = compute_stats(run, rows, dropped)
    manifest = {
        "kind": "roboinstruct.dataset",
        "fingerprint": run.fingerprint,
        "config": run.cfg.fingerprinted(),
        "runtime": {k: getattr(run.cfg, k) for k in ("workers", "executor", "no_cache")},
        "domain": {"name": run.domain.name, "source": run.domain.source},
        "seeds": {"count": len(run.seeds), "file": run.cfg.seeds_file or f"builtin:{run.domain.name}"},
        "versions": _versions(),
        "files": {"dataset.jsonl": hashlib.sha256(jsonl).hexdigest(), "rows": len(rows)},
        "stats": stats,
        "notes": run.notes,
        "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds_this_invocation": round(time.time() - started, 1),
    }
    _atomic_write(d / "manifest.json", json.dumps(manifest, indent=2, default=str).encode())
    from .card import card_text

    _atomic_write(d / "README.md", card_text(run, rows, stats).encode())
    from .report import write_report

    write_report(d, manifest)
    return manifest
