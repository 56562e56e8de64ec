"""How much of a disagreement with GenSim's environment the seed counts alone can make.

Both acceptance rules are votes over a few seeds: GenSim's reference accepts a task class when at
least 2 of its 4 seeds succeed (experiments/gensim_reference.py; it stops a class once decided, so
3 seeds are sometimes all it ran), this project's GenSim rule when at least ceil(tau * K) of K seeds
do (K = 8 in the committed runs). A task whose oracle succeeds on about half the seeds in *both*
simulators is accepted by one rule and rejected by the other often, with identical physics. So each
disagreement is read against the seeds behind it:

- Fisher's exact test (two-sided) of "the same per-seed success rate here and there", from the
  successes each side saw: p >= 0.05 means the two rates are not told apart by these seeds, and the
  disagreement may be sampling alone;
- the chance the two rules agree on a task if both simulators shared one per-seed rate (the pooled
  estimate): how often even a perfect reproduction would disagree there.

No simulator runs here: the inputs are committed per-seed counts (results.json of gensim_arm.py and
GenSim's rewards per seed from gensim_env.jsonl).
"""

from __future__ import annotations

import math

GENSIM_SEEDS, GENSIM_NEED, SUCCESS = 4, 2, 0.99


def fisher_two_sided(k1: int, n1: int, k2: int, n2: int) -> float:
    """Fisher's exact test p-value (two-sided, by summing tables no more probable than the observed)
    for successes k1 of n1 against k2 of n2."""
    total, ks = n1 + n2, k1 + k2

    def prob(a: int) -> float:
        return math.comb(n1, a) * math.comb(n2, ks - a) / math.comb(total, ks)

    lo, hi = max(0, ks - n2), min(ks, n1)
    observed = prob(k1)
    return min(1.0, sum(q for q in (prob(a) for a in range(lo, hi + 1)) if q <= observed * (1 + 1e-9)))


def accept_probability(rate: float, seeds: int, need: int) -> float:
    """P(at least `need` of `seeds` independent seeds succeed) at a per-seed success `rate`."""
    return sum(math.comb(seeds, k) * rate ** k * (1 - rate) ** (seeds - k) for k in range(need, seeds + 1))


def agree_probability(rate: float, seeds: int, need: int) -> float:
    """The chance the two rules give the same verdict when both simulators succeed at `rate` a seed."""
    ours, theirs = accept_probability(rate, seeds, need), accept_probability(rate, GENSIM_SEEDS, GENSIM_NEED)
    return ours * theirs + (1 - ours) * (1 - theirs)


def read_file(f: dict, robot: str, seeds: int, need: int) -> dict | None:
    """One file of gensim_arm's results for `robot`: both sides' seed counts, whether the verdicts
    differ, the test and the agreement chance; None for a file that is not one task class run on seeds
    on both sides (several classes, or no seed reached the oracle here)."""
    rewards = f.get("env_rewards") or {}
    row = f.get(f"{robot}_row") or {}
    passed = (row.get("gensim") or {}).get("passed")
    if len(rewards) != 1 or passed is None:
        return None
    (theirs,) = rewards.values()
    k2, n2 = sum(r > SUCCESS for r in theirs), len(theirs)
    here = "accepted" if (row.get("gensim") or {}).get("status") == "pass" else "rejected"
    pooled = (passed + k2) / (seeds + n2) if seeds + n2 else 0.0
    return {"file": f["file"].split("/")[-1], "env": f["env"], "here": here, "disagree": here != f["env"],
            "here_seeds": f"{passed}/{seeds}", "env_seeds": f"{k2}/{n2}",
            "fisher_p": round(fisher_two_sided(passed, seeds, k2, n2), 3),
            "agree_if_same_rate": round(agree_probability(pooled, seeds, need), 3), "pooled_rate": round(pooled, 3)}


def section(files: list[dict], robot: str, seeds: int, tau: float) -> tuple[list[str], dict]:
    """The table section (markdown lines) and its summary for one robot's disagreements."""
    need = math.ceil(tau * seeds)
    reads = [r for r in (read_file(f, robot, seeds, need) for f in files) if r]
    off = [r for r in reads if r["disagree"]]
    noise = [r for r in off if r["fisher_p"] >= 0.05]
    summary = {"robot": robot, "disagreements": len(off), "within_seed_noise": len(noise),
               "expected_agreements_if_same_rates": round(sum(r["agree_if_same_rate"] for r in reads), 1),
               "files": len(reads)}
    for side in ("rejected", "accepted"):
        mine = [r for r in reads if r["env"] == side]
        summary[f"env_{side}"] = {"files": len(mine), "agree": sum(not r["disagree"] for r in mine),
                                  "within_seed_noise": sum(r["disagree"] and r["fisher_p"] >= 0.05 for r in mine),
                                  "expected_agreements_if_same_rates": round(sum(r["agree_if_same_rate"] for r in mine), 1)}
    rej, acc = summary["env_rejected"], summary["env_accepted"]
    lines = [f"### {robot}: {len(off)} disagreements, {len(noise)} within the seeds' noise", "",
             f"If both simulators shared each file's pooled per-seed rate, the two rules would still agree on "
             f"{summary['expected_agreements_if_same_rates']} of these {len(reads)} files in expectation "
             f"(≥ {need} of {seeds} seeds here, ≥ {GENSIM_NEED} of {GENSIM_SEEDS} there): on "
             f"{rej['expected_agreements_if_same_rates']} of the {rej['files']} GenSim rejects (observed {rej['agree']}; "
             f"{rej['within_seed_noise']} of the misses within noise) and {acc['expected_agreements_if_same_rates']} "
             f"of the {acc['files']} it accepts (observed {acc['agree']}; {acc['within_seed_noise']} within noise).", "",
             "| file | GenSim's env | here | seeds passed here / there | Fisher p (same rate?) | P(rules agree) at the pooled rate |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r['file']} | {r['env']} | {r['here']} | {r['here_seeds']} / {r['env_seeds']} | {r['fisher_p']} "
              f"| {r['agree_if_same_rate']} |" for r in off]
    return lines + [""], summary
