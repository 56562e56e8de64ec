"""What blind readers kept of pairs made with a run's settings, for its dataset card.

`experiments/pair_quality.py measure` writes `reader_kept.json` beside this module from its blind
labels (two readers per pair, a pair good only when both say so): per group of settings — the
fingerprinted values that change what the model is shown and what is checked, with the prompt and
plan texts' hashes — the pairs labelled and how many readers kept. A run whose settings match a
group quotes it; any other run says that no such measurement exists. Seeds and sizes are not part
of a group: a measurement of fresh runs speaks for the next fresh run with the same settings.
"""

from __future__ import annotations

import json
from pathlib import Path

PATH = Path(__file__).with_name("reader_kept.json")
KEYS = ("origin", "check", "prompts", "top_up", "mode", "model", "prompt_text", "plans_text")


def settings_key(cfg: dict) -> dict:
    """The values of a fingerprinted config that a measurement is matched on."""
    return {k: cfg.get(k) for k in KEYS}


def measured_for(cfg: dict, path: Path = PATH) -> dict | None:
    """The measurement whose settings equal `cfg`'s (None: none, or no measurements file)."""
    try:
        groups = json.loads(path.read_text())["groups"]
    except (OSError, ValueError, KeyError):
        return None
    want = settings_key(cfg)
    return next((g for g in groups if g.get("settings") == want), None)


def card_lines(cfg: dict, path: Path = PATH) -> list[str]:
    """The dataset card's section on what careful readers keep of data made like this."""
    m = measured_for(cfg, path)
    head = ["## What careful readers keep"]
    if m is None:
        return head + ["No blind-labelled measurement exists for these settings. Read a sample before training",
                       "on it, and run `roboinstruct audit dataset.jsonl` (the strict check, rule by rule)."]
    lo, hi = m["ci95"]
    return head + [
        f"Blind readers (two per pair) kept {m['k']} of {m['n']} pairs ({m['rate']:.2f}, 95% Wilson interval "
        f"[{lo:.2f}, {hi:.2f}]) that runs with these settings made ({', '.join(m['runs'])}: the same",
        "check, origin, prompts and plan texts, other seeds), judged with one written rubric; measured in",
        f"`{m['source']}` of the roboinstruct repository. It is a rate, not a guarantee for every pair:",
        "read a sample before training on it."]
