"""Run statistics, computed from the stage records (so they are right after any resume)."""

from __future__ import annotations

import ast
import re
from collections import Counter

from ..robosim.rooms import static_kinds
from . import rejection
from .records import RunRecords

SURPLUS = "surplus beyond --num"


def ngram_diversity(texts: list[str], n: int = 4) -> float:
    """Distinct n-grams / total n-grams over the texts' words (1.0 = no repeated phrasing)."""
    grams = []
    for t in texts:
        words = re.findall(r"\w+", t.lower())
        grams += [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
    return round(len(set(grams)) / len(grams), 4) if grams else 0.0


def discard_curve(rec: RunRecords) -> list[dict]:
    """Share of kept instructions with no valid program within a resample budget of 0..m (paper Fig. 5)."""
    m = rejection.max_attempts(rec.config.mode, rec.config.max_resamples)
    out = []
    judged = [r for r in rec.kept if rec.attempts_of(r["id"])]
    for budget in range(m):
        none_valid = sum(not any(a["verdict"]["valid"] for a in rec.attempts_of(r["id"])[: budget + 1])
                         for r in judged)
        out.append({"resamples": budget, "discard_rate": round(none_valid / len(judged), 4) if judged else 0.0})
    return out


def drop_reason(record: dict) -> str:
    """Why an instruction is not in the run. Runs written before reasons were recorded for
    surplus instructions stored None (or "kept") for them."""
    reason = record.get("reason")
    return SURPLUS if reason in (None, "kept") else reason


def compute_stats(rec: RunRecords, rows: list[dict], dropped: dict) -> dict:
    instr = rec.instructions
    attempts = [a for per in rec.attempts.values() for a in per]
    aligned = list(rec.aligned.values())
    reasons = Counter(drop_reason(r) for r in instr if not r.get("kept"))
    errors = Counter((a["verdict"].get("error_kind") or "?") for a in attempts if not a["verdict"]["valid"])
    meaning = Counter(a["verdict"].get("rule") or "?" for a in attempts
                      if not a["verdict"]["valid"] and a["verdict"].get("error_kind") == "MeaningError")
    usage = Counter()
    for record in instr + attempts + aligned:
        for k, v in (record.get("usage") or {}).items():
            usage[k] += v
    kinds: dict[str, set] = {}
    for r in rows:
        try:
            for name, (kind, _) in static_kinds(ast.parse(r["program"]), rec.domain).items():
                kinds.setdefault(kind, set()).add(name)
        except SyntaxError:
            pass
    choices = Counter(a.get("choice") for a in aligned)
    n = max(1, len(rows))
    judged = [r for r in rec.kept if rec.attempts_of(r["id"])]
    first_valid = sum(rec.attempts_of(r["id"])[0]["verdict"]["valid"] for r in judged)
    solvable = sum(any(a["verdict"]["valid"] for a in rec.attempts_of(r["id"])) for r in judged)
    parse_failures = sum(1 for a in aligned if a.get("fallback") in ("revision not parseable",
                                                                     "selection not parseable"))
    return {
        "instructions_generated": len(instr),
        "instructions_kept": len(rec.kept),
        "instructions_dropped": dict(reasons),
        "programs_sampled": len(attempts),
        "programs_valid": sum(a["verdict"]["valid"] for a in attempts),
        "rejected_by_error_kind": dict(errors),
        "rejected_by_meaning_rule": dict(meaning),
        "agreement": _agreement_stats(rec),
        "discard_curve": discard_curve(rec),
        "pairs": len(rows),
        "postprocess_dropped": dropped,
        "quality": {"first_sample_valid_rate": round(first_valid / len(judged), 4) if judged else 0.0,
                    "solvable_rate": round(solvable / len(judged), 4) if judged else 0.0,
                    "instalign_parse_failure_rate": round(parse_failures / len(aligned), 4) if aligned else 0.0},
        "instalign": {"aligned": len(aligned), "revised_chosen": choices.get("revised", 0),
                      "original_chosen": choices.get("original", 0),
                      "fallbacks": sum(1 for a in aligned if a.get("fallback")),
                      "fallback_reasons": dict(Counter(_fallback_kind(a["fallback"]) for a in aligned
                                                       if a.get("fallback"))),
                      "refused": sum(1 for a in aligned if (a.get("fallback") or "").startswith("revision fails")),
                      "parse_failures": parse_failures,
                      "revision_rate": round(choices.get("revised", 0) / len(aligned), 4) if aligned else 0.0},
        "diversity_4gram": ngram_diversity([r["instruction"] for r in rows]),
        "distinct_names": {k: len(v) for k, v in sorted(kinds.items())},
        "tokens": {"prompt": usage["prompt_tokens"], "completion": usage["completion_tokens"],
                   "prompt_evaluated": usage["prompt_tokens"] - usage["cached_prompt_tokens"]},
        "model_seconds": round(usage["latency_s"], 1),
        "tokens_per_pair": round((usage["prompt_tokens"] + usage["completion_tokens"]) / n, 1),
        "model_seconds_per_pair": round(usage["latency_s"] / n, 2),
    }


def _agreement_stats(rec: RunRecords) -> dict:
    """Per-pair agreement (share of valid samples in the kept program's group) and drops."""
    recs = list(getattr(rec, "agreed", {}).values())  # records of a process started before agreement existed
    if not recs:
        return {}
    kept = [r for r in recs if r["program"] is not None]
    return {"instructions": len(recs), "no_majority": len(recs) - len(kept),
            "swapped": sum(r["source"] == "extra" for r in kept),
            "mean_share": round(sum(r["agreement"]["share"] for r in kept) / len(kept), 3) if kept else 0.0}


def _fallback_kind(why: str) -> str:
    """'revision fails gate:beyond-api: ...' -> 'revision fails a check' (the details are per record)."""
    return "revision fails a check" if why.startswith("revision fails") else why
