"""Stage 4b: behavioural agreement (`agreement: k`, k > 1; quality.agreement does the comparing).

For every instruction with a chosen program, k-1 more programs are sampled (seeded, cached,
verified with the run's check), and the valid ones are run beside the chosen one in the same
concrete worlds. The majority behaviour's program is kept (the chosen one when it is in the
majority); an instruction with no clear majority is dropped. One record per instruction in
stages/agreement.jsonl, written only when all its samples are in: a killed run redoes at most
the group in flight, and the response cache makes that free.
"""

from __future__ import annotations

from . import instructions, rejection


def stage_agreement(run) -> None:
    cfg = run.cfg
    if cfg.agreement <= 1:
        return
    from ..quality.agreement import agreement_many, decide
    from .plans import plan_observer, program_examples
    from ..robosim import extract_program, extraction_verdict

    todo = [(r, a) for r, a in run.chosen_pairs(agreed=False) if r["id"] not in run.agreed]
    if not todo:
        return
    reqs, owners = [], []
    for r, _ in todo:
        for j in range(1, cfg.agreement):
            seed = instructions.request_rng(cfg.seed, j, 0, "agree/" + r["id"]).randrange(2**31)
            reqs.append(rejection.attempt_request(r["instruction"], run.domain, program_examples(run, r), seed=seed,
                                                  attempt=j,
                                                  temperature=cfg.program_temperature,
                                                  max_tokens=cfg.max_tokens_program))
            owners.append(r["id"])
    responses = run._generate("agreement (programs)", reqs)
    extras: dict[str, list[dict]] = {r["id"]: [] for r, _ in todo}
    answered = [(pid, resp, extract_program(resp.texts[0])) for pid, resp in zip(owners, responses)
                if not resp.error]
    by_id = {r["id"]: r for r, _ in todo}
    observers = [plan_observer(run, by_id[pid]) for pid, _, ex in answered if ex.ok]
    verdicts, observed = iter(run._verify([ex.code for _, _, ex in answered if ex.ok], observers)), iter(observers)
    for pid, resp, ex in answered:
        v = rejection.compact_verdict(next(verdicts) if ex.ok else extraction_verdict(ex))
        seen = next(observed) if ex.ok else None
        if cfg.check == "strict":
            v = rejection.with_static_rules(v, by_id[pid]["instruction"], ex.code if ex.ok else None, run.domain,
                                            plan=by_id[pid].get("plan"), traced=getattr(seen, "finding", None))
        extras[pid].append({"program": ex.code if ex.ok else None, "verdict": v})
    complete = [(r, a) for r, a in todo if len(extras[r["id"]]) == cfg.agreement - 1]  # errors: retried on resume
    groups = [[a["program"]] + [e["program"] for e in extras[r["id"]] if e["verdict"]["valid"]] for r, a in complete]
    digests = agreement_many(groups, run.domain, workers=cfg.workers) if groups else []
    for (r, a), group, d in zip(complete, groups, digests):
        verdict = decide(d, prefer=0)
        valid_extras = [e for e in extras[r["id"]] if e["verdict"]["valid"]]
        pick = verdict.chosen  # 0: the chosen program; i > 0: the i-th valid extra; None: no majority
        run.agreed.append({"id": r["id"], "agreement": verdict.to_dict(), "behaviours": d,
                           "extras": extras[r["id"]],
                           "program": None if pick is None else group[pick],
                           "source": None if pick is None else "chosen" if pick == 0 else "extra",
                           "verdict": None if pick is None else a["verdict"] if pick == 0
                           else valid_extras[pick - 1]["verdict"]})
    run.meter.settle("agreement (programs)", "verify")


def apply(record: dict | None, attempt: dict) -> dict | None:
    """The attempt a pair contributes after agreement (None: no clear majority, dropped)."""
    if record is None:
        return attempt
    if record["program"] is None:
        return None
    if record["source"] == "chosen":
        return {**attempt, "agreement": record["agreement"]}
    return {**attempt, "program": record["program"], "verdict": record["verdict"], "agreement": record["agreement"],
            "agreement_swapped": True}
