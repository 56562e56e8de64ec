"""Join GenSim's own environment's verdicts (experiments/gensim_reference.py, per task class) with
this project's verdicts (experiments/gensim_conformance.py, per task file): agreement in both
directions with 95% Wilson intervals, the confusion table, every disagreement with both sides'
reasons, and the speed ratio. Pure functions over the two files' rows; no simulation here.

Per file, GenSim's side: a file with one task class takes that class's verdict; a file with
several (cliport/tasks/extended_tasks.py) is accepted when every class of it is, rejected when one
is, and not measured otherwise. This side: GenSim's rule here (`gensim.status == "pass"`); a file
that never reached an episode (static check, unsupported) is "not accepted" — counted, not excused.
"""

from __future__ import annotations

import collections
import json
import statistics
from pathlib import Path

from roboinstruct.core.intervals import wilson_ci


def load_jsonl(path: Path) -> list[dict]:
    rows = []
    for line in Path(path).read_text().splitlines():
        try:
            rows.append(json.loads(line))
        except ValueError:
            break  # a torn tail of a killed run
    return rows


def load_reference(path: Path) -> list[dict]:
    """GenSim's verdict per class (`path`: gensim_reference.py's gensim_env.jsonl), each class measured
    again with GenSim's limits on a CPU clock (gensim_env_cpu_clock.jsonl beside it, `--cpu-clock`:
    load-independent) taking that record in place of its wall-clock one."""
    path = Path(path)
    rows = {r["id"]: r for r in load_jsonl(path)}
    cpu = path.with_name("gensim_env_cpu_clock.jsonl")
    if cpu.exists():
        rows.update((r["id"], r) for r in load_jsonl(cpu))
    return list(rows.values())


SETTLED = 0.01  # GenSim's pos_eps: an object let go within it of its target but resting beyond it moved after


def failure_kind(episode: dict, success: float = 0.99) -> str | None:
    """What ended a traced GenSim episode short of success (gensim_reference.py --trace): the first
    action that went wrong, in GenSim's terms; None for a successful or untraced episode."""
    if episode.get("reward", 0.0) > success or "trace" not in episode:
        return None
    if episode.get("error"):
        return "an exception"
    for step in episode["trace"]:
        if step.get("timeout"):
            return "the arm timed out (unreachable pose)"
        if step.get("grasp") is False:
            return "the suction failed to hold the object"
        if "place_xy" not in step:
            return "the oracle had no visible object to pick"
        if step.get("release_xy") is None and step.get("grasp") and step["place_xy"] > SETTLED:
            return "the object was lost before the place"
        if step.get("release_xy") is not None and step["place_xy"] > SETTLED:
            if step["release_xy"] > SETTLED:
                return "the object was let go off its target (landed on something)"
            return ("let go over its target but on something higher, it then slid or fell off"
                    if step.get("release_dz", 0.0) > SETTLED else "let go at its target, the object then moved off it")
    return "the step budget ran out"


def trace_reasons(traces: list[dict]) -> dict[str, str]:
    """file -> what GenSim's env did in its failed traced episodes, counted, e.g. '8 seeds traced, 3
    succeed; of the 5 failures: 4 let go on its target, ...'."""
    out = {}
    for rec in traces:
        eps = rec.get("episodes") or []
        kinds = collections.Counter(k for k in (failure_kind(e) for e in eps) if k)
        ok = sum(e.get("reward", 0.0) > 0.99 for e in eps)
        text = f"{len(eps)} seeds traced, {ok} succeed"
        if kinds:
            text += f"; of the {sum(kinds.values())} failures: " + ", ".join(f"{n} {k}" for k, n in kinds.most_common())
        out[rec["file"]] = (out[rec["file"]] + "; " if rec["file"] in out else "") + text
    return out


def traced_verdicts(traces: list[dict], success: float = 0.99) -> dict[str, dict]:
    """file -> GenSim's env on the traced seeds under this side's rule (reward > 0.99 on at least half
    of them): {"passed", "seeds", "status"}; a file of several traced classes needs all of them."""
    out: dict[str, dict] = {}
    for rec in traces:
        eps = rec.get("episodes") or []
        passed = sum(e.get("reward", 0.0) > success for e in eps)
        ok = bool(eps) and 2 * passed >= len(eps)
        prev = out.get(rec["file"])
        out[rec["file"]] = {"passed": passed + (prev["passed"] if prev else 0), "seeds": len(eps) + (prev["seeds"] if prev else 0),
                            "status": "accepted" if ok and (prev is None or prev["status"] == "accepted") else "rejected",
                            "classes": 1 + (prev["classes"] if prev else 0)}
    return out


def env_by_file(classes: list[dict]) -> dict[str, dict]:
    """file -> {"status": accepted|rejected|not measured, "reason", "classes": [...]} (GenSim's env)."""
    files: dict[str, list[dict]] = collections.defaultdict(list)
    for rec in classes:
        files[rec["file"]].append(rec)
    out = {}
    for file, recs in files.items():
        statuses = [r["status"] for r in recs]
        if "rejected" in statuses:
            status = "rejected"
        elif statuses and all(s == "accepted" for s in statuses):
            status = "accepted"
        else:
            status = "not measured"
        bad = [r for r in recs if r["status"] != "accepted"]
        reason = "; ".join(f"{r['class']}: {r.get('reason') or r['status']}" for r in bad[:3])
        out[file] = {"status": status, "reason": reason, "classes": [r["class"] for r in recs],
                     "rewards": {r["class"]: r["rewards"] for r in recs}}
    return out


def here_status(row: dict) -> str:
    """This project's GenSim-rule status of a file: pass | fail | unsupported; a file GenSim's rule
    never judged (it failed the static check) has its strict status."""
    g = row.get("gensim") or {}
    return g.get("status") or row["strict"]["status"]


def _figure(k: int, n: int) -> dict:
    lo, hi = wilson_ci(k, n)
    return {"agree": k, "of": n, "share": round(k / n, 4) if n else None, "ci95": [lo, hi]}


def join(files: list[dict], classes: list[dict], traces: list[dict] | None = None) -> dict:
    """The agreement of this project's verdicts with GenSim's env, per file; `traces`: GenSim's
    episodes traced action by action (gensim_env_trace.jsonl), summarised beside its reason."""
    env, traced, again = env_by_file(classes), trace_reasons(traces or []), traced_verdicts(traces or [])
    joined, confusion = [], collections.Counter()
    for row in files:
        e = env.get(row["file"], {"status": "not measured", "reason": "", "classes": [], "rewards": {}})
        here, g = here_status(row), row.get("gensim")
        strict = row["strict"]["status"]
        confusion[(e["status"], here)] += 1
        joined.append({"file": row["file"], "env": e["status"], "env_reason": e["reason"],
                       "env_trace": traced.get(row["file"]), "env_again": again.get(row["file"]),
                       "env_rewards": e["rewards"], "here": here, "strict": strict,
                       "here_reason": (g.get("reason") or "") if g else row["strict"].get("reason", ""),
                       "here_stage": g.get("stage") if g else row["strict"].get("stage"),
                       "strict_reason": row["strict"].get("reason", ""), "strict_stage": row["strict"].get("stage")})
    acc = [j for j in joined if j["env"] == "accepted"]
    rej = [j for j in joined if j["env"] == "rejected"]
    figures = {
        "accepted_by_env_accepted_here": _figure(sum(j["here"] == "pass" for j in acc), len(acc)),
        "rejected_by_env_rejected_here": _figure(sum(j["here"] != "pass" for j in rej), len(rej)),
        "accepted_by_env_strict_pass": _figure(sum(j["strict"] == "pass" for j in acc), len(acc)),
        "rejected_by_env_strict_reject": _figure(sum(j["strict"] != "pass" for j in rej), len(rej)),
    }
    if again:  # GenSim's rejections traced on more seeds: which of them its own env still rejects
        retraced = [j for j in rej if j["env_again"]]
        still = [j for j in retraced if j["env_again"]["status"] == "rejected"]
        figures["env_rejections_rejected_again"] = _figure(len(still), len(retraced))
        figures["rejected_by_env_again_rejected_here"] = _figure(sum(j["here"] != "pass" for j in still), len(still))
    disagreements = [j for j in joined if (j["env"] == "accepted") != (j["here"] == "pass") and j["env"] != "not measured"]
    return {"figures": figures, "files": len(files),
            "measured": sum(j["env"] != "not measured" for j in joined),
            "confusion": [{"env": e, "here": h, "files": n} for (e, h), n in sorted(confusion.items())],
            "disagreements": sorted(disagreements, key=lambda j: (j["env"], j["here"], j["file"])),
            "joined": joined}


def classes_summary(classes: list[dict], registered: dict[str, str] | None = None) -> dict:
    """GenSim's env per class: generated vs hand-written, and over GenSim's registered task names."""
    out = {}
    for kind in ("generated_tasks", "tasks"):
        recs = [r for r in classes if r["kind"] == kind]
        out[kind] = {"measured": len(recs), "accepted": sum(r["status"] == "accepted" for r in recs),
                     "rejected": sum(r["status"] == "rejected" for r in recs)}
    if registered:
        by_class = {r["class"]: r["status"] for r in classes if r["kind"] == "tasks"}
        measured = {n: by_class[c] for n, c in registered.items() if c in by_class}
        out["registered_names"] = {"names": len(registered), "measured": len(measured),
                                   "accepted": sum(s == "accepted" for s in measured.values())}
    return out


def speed(classes: list[dict], our_wall_seconds: float, our_episodes: int, our_workers: int = 1,
          our_cpu_seconds: float | None = None) -> dict:
    """Seconds per episode: GenSim's env (the median over every episode it ran) vs this project's
    validation (the whole conformance run over its episodes: wall time times workers, and CPU time
    of the sandbox workers). Both sides ran on the same shared core, so wall time is inflated alike;
    CPU time is the fairer figure where both sides have it."""
    theirs = [e["seconds"] for r in classes for e in r.get("episodes", []) if e.get("seconds") is not None]
    theirs_cpu = [e["cpu_seconds"] for r in classes for e in r.get("episodes", []) if e.get("cpu_seconds") is not None]
    ours = our_wall_seconds * our_workers / our_episodes if our_episodes else None
    ours_cpu = our_cpu_seconds / our_episodes if our_episodes and our_cpu_seconds else None
    median = statistics.median(theirs) if theirs else None
    median_cpu = statistics.median(theirs_cpu) if theirs_cpu else None
    return {"gensim_env_median_s": round(median, 3) if median else None, "gensim_env_episodes": len(theirs),
            "ours_s_per_episode": round(ours, 4) if ours else None,
            "ratio": round(median / ours, 1) if median and ours else None,
            "gensim_env_median_cpu_s": round(median_cpu, 3) if median_cpu else None,
            "gensim_env_cpu_episodes": len(theirs_cpu),
            "ours_cpu_s_per_episode": round(ours_cpu, 4) if ours_cpu else None,
            "cpu_ratio": round(median_cpu / ours_cpu, 1) if median_cpu and ours_cpu else None}


def markdown(result: dict, summary: dict, speed_row: dict) -> str:
    f = result["figures"]

    def fig(key):
        x = f[key]
        return f"{x['share']} [{x['ci95'][0]}, {x['ci95'][1]}] ({x['agree']}/{x['of']})" if x["of"] else "n/a (0 files)"

    out = ["## Agreement with GenSim's own environment (per file)", "",
           f"{result['measured']} of {result['files']} files measured in GenSim's env "
           f"(generated classes: {summary['generated_tasks']['accepted']} accepted of {summary['generated_tasks']['measured']}; "
           f"hand-written classes: {summary['tasks']['accepted']} of {summary['tasks']['measured']}).", "",
           "| figure (95% Wilson interval) | value |", "|---|---|",
           f"| of the files GenSim's env accepts, accepted under GenSim's rule here (target ≥ 0.90) | {fig('accepted_by_env_accepted_here')} |",
           f"| of the files GenSim's env rejects, rejected here too (target ≥ 0.80) | {fig('rejected_by_env_rejected_here')} |",
           f"| of the files GenSim's env accepts, passing the strict verdict | {fig('accepted_by_env_strict_pass')} |",
           f"| of the files GenSim's env rejects, failing the strict verdict | {fig('rejected_by_env_strict_reject')} |",
           *([f"| of the files GenSim's env rejects, traced again on {_seeds(result)} seeds: rejected again by its own env "
              f"under this side's rule (≥ half the seeds) | {fig('env_rejections_rejected_again')} |",
              f"| of the files GenSim's env rejects on both measurements, rejected here too | "
              f"{fig('rejected_by_env_again_rejected_here')} |"] if "env_rejections_rejected_again" in f else []),
           f"| seconds per episode: GenSim's env (median of {speed_row['gensim_env_episodes']}) / here | "
           f"{speed_row['gensim_env_median_s']} / {speed_row['ours_s_per_episode']} = {speed_row['ratio']}× |",
           f"| CPU seconds per episode: GenSim's env (median of {speed_row['gensim_env_cpu_episodes']}) / here | "
           f"{speed_row['gensim_env_median_cpu_s']} / {speed_row['ours_cpu_s_per_episode']} = {speed_row['cpu_ratio']}× |", "",
           "### Confusion (files)", "", "| GenSim's env | here (GenSim's rule) | files |", "|---|---|---:|"]
    out += [f"| {c['env']} | {c['here']} | {c['files']} |" for c in result["confusion"]]
    out += ["", "### Disagreements by reason", "", "| direction | reason | files |", "|---|---|---:|"]
    out += [f"| {direction} | {_md(why)} | {n} |" for (direction, why), n in by_reason(result["disagreements"])]
    out += ["", f"### Every disagreement ({len(result['disagreements'])})", "",
            "| file | GenSim's env | here | GenSim's env: why | here: stage, reason |", "|---|---|---|---|---|"]
    for d in result["disagreements"]:
        why = (d["env_reason"] or "rewards " + json.dumps(d["env_rewards"]))[:200]
        why += f" (traced: {d['env_trace']})" if d.get("env_trace") else ""
        if d.get("env_again") and d["env_again"]["status"] != d["env"]:
            why += f"; on the traced seeds its env {d['env_again']['status']} it ({d['env_again']['passed']}/{d['env_again']['seeds']})"
        out.append(f"| {d['file']} | {d['env']} | {d['here']} | {_md(why)} | {_md(here_text(d))} |")
    return "\n".join(out) + "\n"


def _seeds(result: dict) -> str:
    counts = sorted({j["env_again"]["seeds"] // j["env_again"]["classes"] for j in result["joined"] if j.get("env_again")})
    return "/".join(map(str, counts)) or "0"


def by_reason(disagreements: list[dict]) -> list[tuple[tuple[str, str], int]]:
    """Disagreements counted by direction and reason: this side's reason class when GenSim's env
    accepts, GenSim's env's when it rejects what GenSim's rule here passes."""
    from roboinstruct.tabletop.validate.conformance import reason_class

    counts = collections.Counter()
    for d in disagreements:
        if d["env"] == "accepted":
            counts[("GenSim's env accepts, here not", reason_class(d["here_stage"], d["here_reason"]))] += 1
        else:
            why = d["env_reason"].split(": ", 1)[-1]
            why = "an episode raised " + why.split(":")[1].strip() if why.startswith("episode error") else \
                "rewards below 0.99 on 3 of 4 seeds" if why.startswith("rewards") else why[:80]
            counts[("GenSim's env rejects, here passes", why)] += 1
    return sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))


def here_text(d: dict) -> str:
    """This side of a disagreement: GenSim's rule here and, beside it, the strict verdict."""
    rule = "pass" if d["here"] == "pass" else f"{d['here_stage']}: {d['here_reason'][:160]}"
    strict = "pass" if d["strict"] == "pass" else f"{d['strict_stage']}: {d['strict_reason'][:160]}"
    return rule if rule == strict else f"{rule} (strict: {strict})"


def _md(text: str) -> str:
    return (text or "").replace("|", "/").replace("\n", " ")
