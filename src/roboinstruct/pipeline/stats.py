"""Run statistics, computed from the stage records (so they are right after any resume)."""

from __future__ import annotations

import re
from collections import Counter

from ..rooms import static_kinds
from . import rejection


def ngram_diversity(texts: list[str], n: int = 4) -> float:
    """Distinct n-grams / total n-grams over the texts' words (1.0 = no repeated phrasing)."""
    grams = []
    for t in texts:
        words = re.findall(r"\w+", t.lower())
        grams += [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
    return round(len(set(grams)) / len(grams), 4) if grams else 0.0


def discard_curve(run) -> list[dict]:
    """Share of kept instructions with no valid program within a resample budget of 0..m (paper Fig. 5)."""
    kept = run.kept_instructions()
    m = rejection.max_attempts(run.cfg.mode, run.cfg.max_resamples)
    out = []
    for budget in range(m):
        judged = [r for r in kept if run.attempts_of(r["id"])]
        none_valid = sum(not any(a["verdict"]["valid"] for a in run.attempts_of(r["id"])[: budget + 1]) for r in judged)
        out.append({"resamples": budget, "discard_rate": round(none_valid / len(judged), 4) if judged else 0.0})
    return out


def compute_stats(run, rows: list[dict], dropped: dict) -> dict:
    instr = list(run.instr)
    attempts = list(run.attempts)
    aligned = list(run.aligned)
    reasons = Counter(r.get("reason") or "kept" for r in instr if not r.get("kept"))
    errors = Counter((a["verdict"].get("error_kind") or "?") for a in attempts if not a["verdict"]["valid"])
    usage = Counter()
    for rec in instr + attempts + aligned:
        for k, v in (rec.get("usage") or {}).items():
            usage[k] += v
    kinds: dict[str, set] = {}
    for r in rows:
        try:
            import ast

            for name, (kind, _) in static_kinds(ast.parse(r["program"]), run.domain).items():
                kinds.setdefault(kind, set()).add(name)
        except SyntaxError:
            pass
    choices = Counter(a.get("choice") for a in aligned)
    n = max(1, len(rows))
    return {
        "instructions_generated": len(instr),
        "instructions_kept": len(run.kept_instructions()),
        "instructions_dropped": dict(reasons),
        "programs_sampled": len(attempts),
        "programs_valid": sum(a["verdict"]["valid"] for a in attempts),
        "rejected_by_error_kind": dict(errors),
        "discard_curve": discard_curve(run),
        "pairs": len(rows),
        "postprocess_dropped": dropped,
        "instalign": {"aligned": len(aligned), "revised_chosen": choices.get("revised", 0),
                      "original_chosen": choices.get("original", 0),
                      "fallbacks": sum(1 for a in aligned if a.get("fallback")),
                      "revision_rate": round(choices.get("revised", 0) / len(aligned), 4) if aligned else 0.0},
        "diversity_4gram": ngram_diversity([r["instruction"] for r in rows]),
        "distinct_names": {k: len(v) for k, v in sorted(kinds.items())},
        "tokens": {"prompt": usage["prompt_tokens"], "completion": usage["completion_tokens"]},
        "model_seconds": round(usage["latency_s"], 1),
        "tokens_per_pair": round((usage["prompt_tokens"] + usage["completion_tokens"]) / n, 1),
        "model_seconds_per_pair": round(usage["latency_s"] / n, 2),
    }
