"""The plan checks on blind-labelled plan-first pairs (`pair_quality.py measure` calls this).

`audit` and `assess_pairs` see a pair alone; a plan-first pair also has its plan (the shape, its
names, the calls), which `collect` copies from the run's instruction records. Here every labelled
pair with a plan is judged as `generate` judges it today — RoboSim strict, the static rules, and
the plan's checks (`plan-coverage`, `plan-order` from the source; `plan-place`, `plan-answer` from
the replayed paths), and before them today's fill checks on the plan's names (`plan:*`: a request
they refuse would not exist) — with the plan's calls as the domain declares that shape *now* (a run made
before a shape's calls changed is judged by today's calls: the question is what today's checks
would keep of pairs no rule was written after).
"""

from __future__ import annotations


def current_plan(plan: dict, shapes: dict) -> dict:
    """The plan with today's calls of its shape; a slot renamed since (object -> sought) follows its kind."""
    shape = shapes.get(plan.get("shape"))
    if shape is None:
        return plan
    values = dict(plan.get("values") or {})
    for old in [k for k in values if k not in {x.name for x in shape.slots}]:
        new = [x.name for x in shape.slots if x.name not in values]
        if len(new) == 1:
            values[new[0]] = values.pop(old)
    return {**plan, "values": values, "calls": shape.call_texts}


def plan_checks(labelled: list[dict], good: dict, rate, workers: int | None = None) -> dict | None:
    """{pairs, kept, reader_kept_share_of_kept, good_still_kept, bad_rejected, per_rule, rows} over the
    labelled pairs that carry a plan (None when there are none)."""
    from collections import Counter

    from roboinstruct.domain import load_domain
    from roboinstruct.pipeline import rejection
    from roboinstruct.quality.plan_trace import PlanTrace
    from roboinstruct.quality.plans import check_fill, domain_plans
    from roboinstruct.robosim import extract_program, verify_many

    domain = load_domain()
    shapes = {s.name: s for s in domain_plans(domain).shapes}
    rows = [p for p in labelled if p.get("plan")]
    if not rows:
        return None
    plans = [current_plan(p["plan"], shapes) for p in rows]
    codes = [extract_program(p["program"]).code for p in rows]
    observers = [PlanTrace.for_plan(plan, domain) for plan in plans]
    verdicts = verify_many(codes, domain, extracted=True, strict=True, observers=observers, workers=workers)
    judged = []
    for p, plan, code, v, o in zip(rows, plans, codes, verdicts, observers):
        cv = rejection.with_static_rules(rejection.compact_verdict(v), p["instruction"], code, domain, plan=plan,
                                         traced=o.finding)
        shape = shapes.get(plan.get("shape"))
        refused = check_fill(shape, plan.get("values") or {}, domain) if shape is not None else None
        if refused is not None:  # today's fill checks would not have made this request at all
            cv = {**cv, "valid": False, "rule": refused.rule, "message": refused.reason, "others": []}
        rules = [cv.get("rule")] + [x.split(":", 1)[0].strip("[] ") for x in cv.get("others") or []] \
            if not cv["valid"] else []
        judged.append({"id": p["id"], "shape": plan.get("shape"), "good": good[p["id"]], "keep": cv["valid"],
                       "rule": cv.get("rule") or (None if cv["valid"] else cv.get("error_kind")),
                       "reason": cv["message"][:300], "rules": [r for r in rules if r]})
    bad = [r for r in judged if not r["good"]]
    per_rule = {}
    for rule, _ in Counter(r["rule"] for r in judged if not r["keep"]).most_common():
        hit = [r for r in judged if not r["keep"] and r["rule"] == rule]
        per_rule[rule] = {"rejects": len(hit), "precision": rate(sum(not r["good"] for r in hit), len(hit)),
                          "recall": rate(sum(not r["good"] for r in hit), len(bad)),
                          "good_rejected": sum(r["good"] for r in hit)}
    kept = [r for r in judged if r["keep"]]
    by_shape = {}
    for shape in sorted({r["shape"] for r in judged}):
        mine = [r for r in judged if r["shape"] == shape]
        by_shape[shape] = {"pairs": len(mine), "reader_kept": rate(sum(r["good"] for r in mine), len(mine)),
                           "checks_keep": sum(r["keep"] for r in mine),
                           "reader_kept_of_checks_kept": rate(sum(r["good"] for r in mine if r["keep"]),
                                                               sum(r["keep"] for r in mine))}
    return {"pairs": len(judged), "kept": len(kept),
            "reader_kept_share_of_kept": rate(sum(r["good"] for r in kept), len(kept)),
            "good_still_kept": rate(sum(r["good"] for r in kept), sum(r["good"] for r in judged)),
            "bad_rejected": rate(len(bad) - sum(r["keep"] for r in bad), len(bad)),
            "per_rule": per_rule, "by_shape": by_shape, "rows": judged}


def markdown(res: dict, fmt) -> list[str]:
    if not res:
        return []
    md = ["", f"## Plan-first pairs under today's plan checks ({res['pairs']} labelled pairs with a plan)", "",
          "| figure | value (95% Wilson interval) |", "|---|---|",
          f"| readers keep, of the pairs the checks keep | {fmt(res['reader_kept_share_of_kept'])} |",
          f"| good pairs still kept | {fmt(res['good_still_kept'])} |",
          f"| not-good pairs rejected | {fmt(res['bad_rejected'])} |", "",
          "| first rule | rejects | precision | recall | good pairs rejected |", "|---|---|---|---|---|"]
    md += [f"| {k} | {v['rejects']} | {fmt(v['precision'])} | {fmt(v['recall'])} | {v['good_rejected']} |"
           for k, v in res["per_rule"].items()]
    md += ["", "| shape | pairs | readers keep | checks keep | readers keep, of checks-kept |", "|---|---|---|---|---|"]
    md += [f"| {k} | {v['pairs']} | {fmt(v['reader_kept'])} | {v['checks_keep']} | "
           f"{fmt(v['reader_kept_of_checks_kept'])} |" for k, v in res["by_shape"].items()]
    return md
