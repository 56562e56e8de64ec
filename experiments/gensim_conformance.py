"""GenSim conformance: every task file of a GenSim checkout through the real validation path.

    PYTHONPATH=src python experiments/gensim_conformance.py /work/shared/gensim \
        --out experiments/results/gensim-conformance [--seeds 8] [--workers 1]
    PYTHONPATH=src python experiments/gensim_conformance.py /work/shared/gensim --retable   # tables only

Writes OUT/results.json (per file: the strict verdict and GenSim's verdict, stage, reason class,
seeds passed — names and hashes only, never the checkout's code; the mutants' verdicts; timing),
OUT/table.md (counts by reason, the mutants, the agreement with GenSim's own environment),
OUT/agreement.json (that join, when OUT/gensim_env.jsonl exists: experiments/gensim_reference.py),
OUT/report.html (the conformance report: both verdicts and a start/end picture per file) and
OUT/manifest.json (the checkout's content hash, package versions, settings, totals). The files
run in sandbox workers exactly as `roboinstruct tabletop validate --gensim PATH` runs them.

Mutants (experiments/gensim_mutants.py): a few real files that pass both verdicts, each made
impossible, out of reach and met at reset at run time; both verdicts must reject every one.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gensim_join import by_reason, classes_summary, here_text, join, load_jsonl, load_reference, markdown, speed  # noqa: E402
from gensim_mutants import KINDS, mutable, mutate  # noqa: E402


def reason_class(stage, reason):
    from roboinstruct.tabletop.validate.conformance import reason_class as rc

    return rc(stage, reason)


def git_commit(root: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def row(v) -> dict:
    g = getattr(v, "gensim_verdict", None) or {}
    return {"file": v.file, "task": v.task, "code_hash": v.code_hash,
            "strict": {"status": v.status, "stage": v.stage, "reason_class": reason_class(v.stage, v.reason),
                       "reason": v.reason[:300], "passed": v.passed, "seeds": v.seeds},
            "gensim": {"status": g.get("status"), "stage": g.get("stage"),
                       "reason_class": reason_class(g.get("stage"), g.get("reason", "")) if g else None,
                       "reason": (g.get("reason") or "")[:300], "passed": g.get("passed")} if g else None,
            "notes": len(getattr(v, "notes", []) or [])}


def table(rows: list[dict], totals: dict) -> str:
    gensim = (f"GenSim's rule (reward > 0.99 on ≥ τ·K seeds): **{totals['gensim_pass']} pass**."
              if any(r.get("gensim") for r in rows) else "GenSim's rule: not computed by the code measured.")
    out = ["# GenSim conformance", "",
           f"{totals['files']} task files; strict verdict: **{totals['strict_pass']} pass**; {gensim}", ""]
    for key, title in (("strict", "Strict verdict (the default)"), ("gensim", "GenSim's rule")):
        counts = collections.Counter(r[key]["reason_class"] for r in rows if r.get(key))
        if not counts:
            continue
        out += [f"## {title}", "", "| files | reason |", "|---:|---|"]
        out += [f"| {n} | {reason.replace('|', '/')} |" for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        out.append("")
    both = collections.Counter((r["strict"]["status"], (r.get("gensim") or {}).get("status")) for r in rows)
    out += ["## Strict × GenSim", "", "| strict | GenSim | files |", "|---|---|---:|"]
    out += [f"| {s} | {g or 'not judged'} | {n} |" for (s, g), n in sorted(both.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    return "\n".join(out) + "\n"


def mutants_table(mutants: list[dict]) -> str:
    if not mutants:
        return ""
    rejected = sum(m["strict"]["status"] != "pass" and (m.get("gensim") or {}).get("status") != "pass" for m in mutants)
    out = ["", "## Mutated real files (rejected by both verdicts?)", "",
           f"{rejected} of {len(mutants)} mutants rejected by both verdicts.", "",
           "| mutation | file | strict: stage, reason | GenSim's rule here: stage, reason |", "|---|---|---|---|"]
    for m in mutants:
        g = m.get("gensim") or {}
        out.append(f"| {m['mutation']} | {m['base']} | {m['strict']['status']} at {m['strict']['stage']}: "
                   f"{m['strict']['reason'][:110].replace('|', '/')} | {g.get('status')} at {g.get('stage')}: "
                   f"{(g.get('reason') or '')[:110].replace('|', '/')} |")
    return "\n".join(out) + "\n"


def agreement(out: Path, rows: list[dict], timing: dict) -> tuple[dict | None, str]:
    """The join with GenSim's own environment (OUT/gensim_env.jsonl), if it was measured."""
    env_file = out / "gensim_env.jsonl"
    if not env_file.exists():
        return None, ""
    classes = load_reference(env_file)
    env_manifest = out / "gensim_env.manifest.json"
    registered = json.loads(env_manifest.read_text()).get("registered_names") if env_manifest.exists() else None
    trace_file = out / "gensim_env_trace.jsonl"  # gensim_reference.py --trace: why GenSim's env failed
    result = join(rows, classes, load_jsonl(trace_file) if trace_file.exists() else None)
    summary = classes_summary(classes, registered)
    speed_row = speed(classes, timing.get("validate_wall_seconds", 0), timing.get("episodes", 0),
                      timing.get("workers", 1), timing.get("validate_cpu_seconds"))
    data = {**{k: v for k, v in result.items() if k != "joined"}, "classes": summary, "speed": speed_row,
            "joined": result["joined"]}
    return data, "\n" + markdown(result, summary, speed_row)


def report_sections(agree: dict | None, mutants: list[dict]) -> list:
    from roboinstruct.report import DataTable, Table

    sections = []
    if agree:
        f, sp = agree["figures"], agree["speed"]

        def fig(key):
            x = f[key]
            return f"{x['share']} [{x['ci95'][0]}, {x['ci95'][1]}] ({x['agree']}/{x['of']})" if x["of"] else "n/a"

        sections.append(Table(f"Agreement with GenSim's own environment ({agree['measured']} of {agree['files']} "
                              "files measured there; 95% Wilson intervals)", ["figure", "value"], [
            ["GenSim's env accepts → accepted under GenSim's rule here (target ≥ 0.90)", fig("accepted_by_env_accepted_here")],
            ["GenSim's env rejects → rejected here too (target ≥ 0.80)", fig("rejected_by_env_rejected_here")],
            ["GenSim's env accepts → strict verdict passes", fig("accepted_by_env_strict_pass")],
            ["CPU seconds per episode: GenSim's env median / here", f"{sp['gensim_env_median_cpu_s']} / "
                                                                  f"{sp['ours_cpu_s_per_episode']} = {sp['cpu_ratio']}×"],
            ["wall seconds per episode (one shared core): GenSim's env median / here",
             f"{sp['gensim_env_median_s']} / {sp['ours_s_per_episode']} = {sp['ratio']}×"]]))
        sections.append(Table("Disagreements with GenSim's env by reason", ["direction", "reason", "files"],
                              [[d, why, n] for (d, why), n in by_reason(agree["disagreements"])]))
        sections.append(DataTable(f"Every disagreement with GenSim's env ({len(agree['disagreements'])})",
                                  ["file", "GenSim's env", "here", "GenSim's env: why", "here: stage, reason"],
                                  [[d["file"], d["env"], d["here"], d["env_reason"] or json.dumps(d["env_rewards"]),
                                    here_text(d)] for d in agree["disagreements"]],
                                  page_size=50, widths=["24%", "8%", "8%", "25%", "35%"]))
    if mutants:
        sections.append(Table("Mutated real files (an impossible goal, a target out of reach, a goal met at reset)",
                              ["mutation", "file", "strict", "GenSim's rule here"],
                              [[m["mutation"], m["base"], f"{m['strict']['status']} at {m['strict']['stage']}",
                                f"{(m.get('gensim') or {}).get('status')} at {(m.get('gensim') or {}).get('stage')}"]
                               for m in mutants]))
    return sections


def write_report(out: Path, verdicts, pics, agree, mutants, meta: dict) -> None:
    from roboinstruct.tabletop.validate import conformance

    column = None
    if agree:  # what GenSim's own environment said of each file it measured
        column = ("GenSim's own env", {j["file"]: j["env"] + (f": {j['env_reason']}" if j["env_reason"] else "")
                                       for j in agree["joined"]})
    conformance.report(verdicts, pics, title="GenSim conformance", extra=report_sections(agree, mutants),
                       meta={**meta, "files": len(verdicts)}, column=column).write(out / "report.html")


def verdict_of(r: dict):
    """A TaskVerdict again from a results.json row (what the report shows of it)."""
    from roboinstruct.tabletop.validate.verdict import TaskVerdict

    g = r.get("gensim")
    return TaskVerdict(r["file"], r["strict"]["status"], r["strict"]["stage"], r["strict"]["reason"], task=r["task"],
                       code_hash=r["code_hash"], passed=r["strict"]["passed"], seeds=r["strict"]["seeds"],
                       gensim_verdict=None if not g else {**g, "seeds": r["strict"]["seeds"]})


def old_pictures(page: Path, rows: list[dict]) -> list[dict]:
    """The pictures of a report written before, per file (an image or the reason there was none)."""
    import base64
    import re

    text = page.read_text()
    m = re.search(r"<h2>Files</h2>.*?<script type='application/json' id='dt\d+-data'>(.*?)</script>", text, re.S)
    cells = {row[0]: row[-1] for row in json.loads(m.group(1).replace("<\\/", "</"))["rows"]} if m else {}
    out = []
    for r in rows:
        cell = cells.get(r["file"])
        if isinstance(cell, dict) and "img" in cell:
            out.append({"image": base64.b64decode(cell["img"].split(",", 1)[1]), "ok": "goal checks met" in cell["alt"],
                        "stage": cell["alt"].rsplit("(", 1)[-1].rstrip(")")})
        else:
            out.append({"image": None, "message": str(cell or "no picture").removeprefix("no picture: ")})
    return out


def pick_bases(rows: list[dict], candidates: dict, n: int) -> list[str]:
    """n files that pass both verdicts and can be mutated, spread over the sorted list."""
    ok = sorted(r["file"] for r in rows if r["strict"]["status"] == "pass"
                and (r.get("gensim") or {}).get("status") == "pass" and mutable(candidates[r["file"]].source))
    step = max(1, len(ok) // max(1, n))
    return ok[::step][:n]


def tree_cpu_seconds(roots: list[int]) -> float:
    """CPU seconds of the process trees under `roots` (the sandbox workers: bubblewrap, zygote and
    the zygote's waited-for children, whose time is in the zygote's cutime/cstime), from /proc."""
    parent, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(stat.parent.name)
        parent[pid] = int(fields[1])
        times[pid] = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    tree, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid in tree:
            continue
        tree.add(pid)
        todo += [c for c, pp in parent.items() if pp == pid]
    return sum(times.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def validate_timed(candidates, seeds: int, workers: int):
    """validate_many on a pool of ours, so its CPU time can be read before the pool closes."""
    from roboinstruct.sandbox import WorkerPool
    from roboinstruct.tabletop.validate.run import CPU_SECONDS, WORKER_MEMORY_MB, validate_many

    start = time.monotonic()
    with WorkerPool(workers, memory_mb=WORKER_MEMORY_MB, cpu_seconds=CPU_SECONDS) as pool:
        verdicts = validate_many(candidates, seeds=seeds, workers=workers, pool=pool)
        cpu = tree_cpu_seconds([w.proc.pid for w in pool.workers])
    return verdicts, round(time.monotonic() - start, 1), round(cpu, 1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout")
    ap.add_argument("--out", default="experiments/results/gensim-conformance")
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--mutants", type=int, default=4, help="real files to mutate (three mutations each)")
    ap.add_argument("--no-report", action="store_true", help="skip report.html (and its pictures)")
    ap.add_argument("--code-label", help="the roboinstruct code measured, when it is not this checkout's HEAD")
    ap.add_argument("--retable", action="store_true",
                    help="only rewrite OUT/table.md and OUT/agreement.json from OUT/results.json and OUT/gensim_env.jsonl")
    args = ap.parse_args(argv)
    from roboinstruct.artifacts import atomic_write, versions, write_json

    out = Path(args.out)
    if args.retable:
        data = json.loads((out / "results.json").read_text())
        agree, agree_md = agreement(out, data["files"], data.get("timing", {}))
        if agree:
            write_json(out / "agreement.json", agree)
        atomic_write(out / "table.md", table(data["files"], data["totals"]) + mutants_table(data.get("mutants", []))
                     + agree_md)
        if (out / "report.html").exists():  # the same pictures, the sections rebuilt from the files
            write_report(out, [verdict_of(r) for r in data["files"]], old_pictures(out / "report.html", data["files"]),
                         agree, data.get("mutants", []), data.get("manifest_meta", {}))
        return 0

    from roboinstruct.tabletop.tasks.sources import collect
    from roboinstruct.tabletop.validate import conformance
    from roboinstruct.tabletop.validate.run import validate_many
    from roboinstruct.tabletop.validate.verdict import Candidate

    root = Path(args.checkout)
    candidates = collect([], str(root))
    verdicts, wall, cpu = validate_timed(candidates, args.seeds, args.workers)
    timing = {"validate_wall_seconds": wall, "validate_cpu_seconds": cpu, "workers": args.workers,
              "episodes": sum(v.seeds for v in verdicts if v.stage not in ("parse", "sandbox"))}
    rows = [row(v) for v in verdicts]
    by_file = {c.file: c for c in candidates}
    bases = pick_bases(rows, by_file, args.mutants)
    mutant_cands = [Candidate(f"mutant/{kind}/{f}", mutate(by_file[f].source, kind), "gensim", by_file[f].assets)
                    for f in bases for kind in KINDS]
    mutants = [dict(row(v), mutation=kind, base=f) for v, (f, kind) in
               zip(validate_many(mutant_cands, seeds=args.seeds, workers=args.workers),
                   [(f, kind) for f in bases for kind in KINDS])]
    totals = {"files": len(rows), "strict_pass": sum(r["strict"]["status"] == "pass" for r in rows),
              "gensim_pass": sum((r.get("gensim") or {}).get("status") == "pass" for r in rows),
              "mutants": len(mutants), "mutants_rejected_by_both": sum(
                  m["strict"]["status"] != "pass" and (m.get("gensim") or {}).get("status") != "pass" for m in mutants)}
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "results.json", {"totals": totals, "timing": timing, "files": rows, "mutants": mutants,
                                      "manifest_meta": {"checkout": root.name, "seeds": args.seeds}})
    agree, agree_md = agreement(out, rows, timing)
    if agree:
        write_json(out / "agreement.json", agree)
    atomic_write(out / "table.md", table(rows, totals) + mutants_table(mutants) + agree_md)
    if not args.no_report:
        t0 = time.monotonic()
        pics = conformance.pictures(candidates, verdicts, workers=args.workers)
        timing["pictures_wall_seconds"] = round(time.monotonic() - t0, 1)
        write_report(out, verdicts, pics, agree, mutants, {"checkout": root.name, "seeds": args.seeds})
    write_json(out / "manifest.json", {
        "checkout": {"path_name": root.name, "commit": git_commit(root), "content_hash": _content_hash(root)},
        "seeds": args.seeds, "workers": args.workers, "timing": timing, "totals": totals,
        "mutant_bases": bases, "versions": versions(["roboinstruct", "pybullet", "numpy"]),
        "roboinstruct_commit": args.code_label or git_commit(Path(__file__).resolve().parent)})
    print(json.dumps(totals), file=sys.stderr)
    return 0


def _content_hash(root: Path) -> str:
    from gensim_reference import content_hash

    return content_hash(root)


if __name__ == "__main__":
    raise SystemExit(main())
