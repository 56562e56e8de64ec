"""Token-level edit similarity: ``sim(a, b) = 1 - lev(ta, tb) / max(|ta|, |tb|)`` over lower-cased word
and punctuation tokens, with a bit-parallel Levenshtein (Myers/Hyyro) that can stop early. The ground
under every near-duplicate check: the pipeline's dedup and decontamination, GenSim's novelty filter
and library retrieval, the RoboEval license check."""

from __future__ import annotations

import re
from typing import Sequence

__all__ = ["tokenize", "edit_similarity", "levenshtein", "position_masks", "levenshtein_masks"]

# Words (Unicode \w runs) and single punctuation marks, lower-cased. Punctuation is kept as
# tokens so "cup." and "cup?" differ slightly, but case and whitespace never matter.
TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    r"""Lower-cased word and punctuation tokens: ``re.findall(r"\w+|[^\w\s]", text.lower())``."""
    return TOKEN_RE.findall(text.lower())


def levenshtein(a: Sequence[str], b: Sequence[str], max_d: int | None = None) -> int:
    """Levenshtein distance over tokens, bit-parallel (Hyyro 2001: Myers' algorithm for the
    global distance): one column of the DP matrix per token of ``b`` in a few big-int ops.
    With ``max_d``, returns ``max_d + 1`` as soon as the distance must exceed it."""
    if len(a) < len(b):
        a, b = b, a  # pattern = the longer one, so the text loop is the shorter
    m, n = len(a), len(b)
    if n == 0:
        return m if max_d is None or m <= max_d else max_d + 1
    return levenshtein_masks(position_masks(a), m, b, max_d)


def position_masks(pattern: Sequence[str]) -> dict[str, int]:
    """Token -> bit mask of its positions in the pattern."""
    peq: dict[str, int] = {}
    for i, tok in enumerate(pattern):
        peq[tok] = peq.get(tok, 0) | (1 << i)
    return peq


def levenshtein_masks(peq: dict[str, int], m: int, b: Sequence[str], max_d: int | None) -> int:
    """Distance between the m-token pattern behind ``peq`` and ``b`` (see levenshtein)."""
    mask, high = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score, remaining = mask, 0, m, len(b)
    for tok in b:
        eq = peq.get(tok, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        remaining -= 1
        # Each remaining column changes the last-row score by at most 1.
        if max_d is not None and score - remaining > max_d:
            return max_d + 1
        ph = (ph << 1) | 1  # global distance: row 0 grows by 1 per column
        mh <<= 1
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv & mask
    return score


def edit_similarity(a: str | list[str], b: str | list[str]) -> float:
    """``1 - lev / max_len`` over tokens (strings are tokenized first); two empties -> 1.0."""
    ta = tokenize(a) if isinstance(a, str) else a
    tb = tokenize(b) if isinstance(b, str) else b
    m = max(len(ta), len(tb))
    return 1.0 - levenshtein(ta, tb) / m if m else 1.0
