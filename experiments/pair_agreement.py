"""Does behavioural agreement (`generate --agreement K`) separate the pairs readers keep from the rest?

    python experiments/pair_agreement.py OUT [--k 3] [--bad N] [--model M] [--threads T]

Reads the blind-labelled pairs of experiments/pair_quality.py (OUT/pairs.jsonl, OUT/results.json:
reader labels and the strict check's keep/reject) and, for the pairs the strict check keeps, asks
the model for K-1 more programs per instruction exactly as `generate --agreement K` does (same
request builder, same seed examples, same temperature; strict verification and static rules), then
groups the labelled program with them by behaviour in shared worlds (quality.agreement). A pair
survives agreement when its own program is in a strict majority — what `generate` would keep.

Every good strict-kept pair is used; of the not-good ones a seeded random `--bad N` (all by default).
Written (by this script only): OUT/agreement.json, OUT/agreement.md, OUT/agreement_manifest.json:
- P(survives | good) and P(survives | not good), Wilson 95% intervals;
- the readers-keep share among pairs the strict check AND agreement keep, with the not-good sample
  weighted back to the whole strict-kept set, and a bootstrap 95% interval.
Model answers go through the response cache: a re-run (or a larger --bad) asks only for what is new.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "experiments"))

from pair_quality import _rate, _read_jsonl, log  # noqa: E402  (the labels' own reader and intervals)


def _extras(pairs: list[dict], k: int, model: str | None, threads: int | None, seed: int) -> dict[str, list[dict]]:
    from roboinstruct.domain import load_domain
    from roboinstruct.llm.registry import get_backend
    from roboinstruct.pipeline import instructions, rejection
    from roboinstruct.pipeline.config import GenerateConfig
    from roboinstruct.robosim import extract_program, extraction_verdict, verify_many
    from roboinstruct.seedtasks import load_seeds

    cfg = GenerateConfig()
    domain = load_domain()
    examples = [(s.instruction, s.program) for s in load_seeds(None, domain.name)[: cfg.shots]]
    reqs, owners = [], []
    for p in pairs:
        for j in range(1, k):
            s = instructions.request_rng(seed, j, 0, "agree/" + p["id"]).randrange(2**31)
            reqs.append(rejection.attempt_request(p["instruction"], domain, examples, seed=s, attempt=j,
                                                  temperature=cfg.program_temperature,
                                                  max_tokens=cfg.max_tokens_program))
            owners.append(p["id"])
    opts = {"model": model, "n_threads": threads}
    backend = get_backend("local", **{a: b for a, b in opts.items() if b is not None})
    t0 = time.time()
    try:
        responses = backend.generate(reqs, progress=lambda d, n: log(f"extra programs {d}/{n} "
                                                                     f"({time.time() - t0:.0f} s)") if d % 5 == 0 or d == n else None)
    finally:
        backend.close()
    answered = [(pid, extract_program(r.texts[0])) for pid, r in zip(owners, responses) if not r.error]
    by_id = {p["id"]: p for p in pairs}
    verdicts = iter(verify_many([ex.code for _, ex in answered if ex.ok], domain, seed=0, extracted=True,
                                strict=True))
    out: dict[str, list[dict]] = {p["id"]: [] for p in pairs}
    for pid, ex in answered:
        v = rejection.compact_verdict(next(verdicts) if ex.ok else extraction_verdict(ex))
        v = rejection.with_static_rules(v, by_id[pid]["instruction"], ex.code if ex.ok else None, domain)
        out[pid].append({"program": ex.code if ex.ok else None, "valid": v["valid"], "rule": v.get("rule")})
    return out


def run(out: Path, k: int, bad: int | None, model: str | None, threads: int | None, seed: int) -> dict:
    from roboinstruct.domain import load_domain
    from roboinstruct.quality.agreement import agreement_many, decide
    from roboinstruct.robosim import extract_program

    labels = {r["id"]: r for r in json.loads((out / "results.json").read_text())["rows"]}
    kept = [p for p in _read_jsonl(out / "pairs.jsonl") if p["id"] in labels and labels[p["id"]]["keep"]]
    good = [p for p in kept if labels[p["id"]]["good"]]
    not_good = [p for p in kept if not labels[p["id"]]["good"]]
    sample_bad = random.Random(seed).sample(not_good, min(bad, len(not_good))) if bad is not None else not_good
    pairs = good + sample_bad
    log(f"{len(good)} good and {len(sample_bad)} of {len(not_good)} not-good strict-kept pairs; k = {k}")
    extras = _extras(pairs, k, model, threads, seed)
    groups = [[extract_program(p["program"]).code] + [e["program"] for e in extras[p["id"]] if e["valid"]]
              for p in pairs]
    digests = agreement_many(groups, load_domain())
    rows = []
    for p, d in zip(pairs, digests):
        a = decide(d, prefer=0)
        rows.append({"id": p["id"], "good": labels[p["id"]]["good"], "survives": a.chosen == 0,
                     "agreement": a.to_dict(), "extras_valid": sum(e["valid"] for e in extras[p["id"]]),
                     "extras": len(extras[p["id"]])})
    res = _summarise(rows, len(not_good), seed)
    res.update(k=k, model=model or "default", sampled_not_good=len(sample_bad), rows=rows)
    _write(out, res, argv=sys.argv[1:])
    return res


def _summarise(rows: list[dict], not_good_total: int, seed: int) -> dict:
    g = [r for r in rows if r["good"]]
    b = [r for r in rows if not r["good"]]
    w = not_good_total / len(b) if b else 0.0  # each sampled not-good pair stands for w of them

    def share(gs: list[dict], bs: list[dict]) -> float | None:
        kg, kb = sum(r["survives"] for r in gs), sum(r["survives"] for r in bs) * (not_good_total / len(bs) if bs else 0)
        return kg / (kg + kb) if kg + kb else None

    rng = random.Random(seed)
    boot = sorted(s for s in (share([rng.choice(g) for _ in g], [rng.choice(b) for _ in b]) for _ in range(2000))
                  if s is not None)
    point = share(g, b)
    before = len(g) / (len(g) + len(b) * w) if rows else None
    return {"survives_given_good": _rate(sum(r["survives"] for r in g), len(g)),
            "survives_given_not_good": _rate(sum(r["survives"] for r in b), len(b)),
            "readers_keep_share_strict": before,
            "readers_keep_share_strict_and_agreement": point,
            "share_bootstrap_95": [boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1]] if boot else None,
            "not_good_weight": w}


def _write(dest: Path, res: dict, argv: list[str]) -> None:
    from roboinstruct.artifacts import versions

    dest.mkdir(parents=True, exist_ok=True)
    (dest / "agreement.json").write_text(json.dumps(res, indent=1) + "\n")

    def fmt(r: dict) -> str:
        return f"{r['rate']:.2f} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}] ({r['k']}/{r['n']})"

    lo, hi = res["share_bootstrap_95"] or (float("nan"), float("nan"))
    md = [f"# Behavioural agreement (k = {res['k']}) on blind-labelled strict-kept pairs", "",
          "| figure | value |", "|---|---|",
          f"| good pairs that survive agreement | {fmt(res['survives_given_good'])} |",
          f"| not-good pairs that survive agreement | {fmt(res['survives_given_not_good'])} |",
          f"| readers keep, of strict-kept pairs | {res['readers_keep_share_strict']:.2f} |",
          f"| readers keep, of strict- and agreement-kept pairs | {res['readers_keep_share_strict_and_agreement']:.2f} "
          f"[{lo:.2f}, {hi:.2f}] (bootstrap) |", "",
          f"Not-good pairs: {res['sampled_not_good']} sampled, each weighted {res['not_good_weight']:.2f}. "
          "Written by experiments/pair_agreement.py."]
    (dest / "agreement.md").write_text("\n".join(md) + "\n")
    (dest / "agreement_manifest.json").write_text(json.dumps({"script": "experiments/pair_agreement.py", "argv": argv,
                                                    "inputs": ["results.json", "pairs.jsonl"],
                                                    "versions": versions(("roboinstruct", "xllamacpp")),
                                                    "written": time.strftime("%Y-%m-%dT%H:%M:%S")}, indent=1) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path, help="the pair-quality results folder (pairs.jsonl, results.json)")
    ap.add_argument("--k", type=int, default=3, help="programs per instruction, the labelled one included")
    ap.add_argument("--bad", type=int, default=None, help="not-good pairs to sample (default: all)")
    ap.add_argument("--model", default=None)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    res = run(a.out, a.k, a.bad, a.model, a.threads, a.seed)
    print((a.out / "agreement.md").read_text())
    return 0 if res else 1


if __name__ == "__main__":
    sys.exit(main())
