"""Self-Instruct-style near-duplicate filtering and benchmark decontamination.

Similarity is token-level edit similarity, ``sim(a, b) = 1 - lev(ta, tb) / max(|ta|, |tb|)``
over lower-cased word tokens. A text is rejected when its similarity to any already-kept
text ("near-duplicate") or to any reference text ("contaminated") EXCEEDS the threshold.

The result is exact -- identical to comparing every pair with :func:`edit_similarity` -- but
avoids the quadratic scan with a set-similarity join:

* Make each token sequence a set by numbering repeats (``cup``, ``cup#1``, ...) so the set
  intersection is the multiset overlap ``o``. Any alignment matches at most ``o`` tokens, so
  ``lev >= max_len - o``; ``sim > t`` therefore needs ``o >= max_len - max_dist(max_len)``,
  roughly ``o > t * max_len``, and also ``|len_a - len_b| <= lev`` (length filter).
* Prefix filter, generalised to ``k`` shared tokens: sort each set by a fixed global order;
  if two sets share ``>= alpha`` elements, the first ``k`` shared ones lie within the first
  ``len - alpha + k`` of each. Indexing those prefixes and requiring ``>= k`` hits prunes
  almost all pairs while staying exact (any order is correct; rare-first is fastest).
* Survivors get an exact multiset-overlap check (C-speed set intersection), then a
  bit-parallel Levenshtein (Myers/Hyyro) with early exit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import Iterable, Mapping, Sequence

__all__ = ["tokenize", "edit_similarity", "Decision", "Deduplicator", "dedup"]

# Words (Unicode \w runs) and single punctuation marks, lower-cased. Punctuation is kept as
# tokens so "cup." and "cup?" differ slightly, but case and whitespace never matter.
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")

# Used only to order tokens when no corpus counts are given: these go last in the prefix
# order because they occur in most robot instructions and would make huge posting lists.
# Any order is exact; this one just keeps the candidate lists short.
_COMMON = (
    ". , the a an to and of in is it if there then me you them go ask tell bring get take "
    "find check come back room what which whether for from with on at put pick up all every "
    "each one that this be are not no or i my your their he she they him her his say "
    "where who how when please let know out any someone everyone office kitchen"
).split()
_COMMON_COUNTS = {w: 10**9 - i for i, w in enumerate(_COMMON)}
_K = 2  # shared prefix tokens required; 2 cuts candidates ~10x vs 1 for a slightly longer prefix


def tokenize(text: str) -> list[str]:
    """Lower-cased word and punctuation tokens: ``re.findall(r"\\w+|[^\\w\\s]", text.lower())``."""
    return _TOKEN_RE.findall(text.lower())


def _lev(a: Sequence[str], b: Sequence[str], max_d: int | None = None) -> int:
    """Levenshtein distance over tokens, bit-parallel (Hyyro 2001: Myers' algorithm for the
    global distance): one column of the DP matrix per token of ``b`` in a few big-int ops.
    With ``max_d``, returns ``max_d + 1`` as soon as the distance must exceed it."""
    if len(a) < len(b):
        a, b = b, a  # pattern = the longer one, so the text loop is the shorter
    m, n = len(a), len(b)
    if n == 0:
        return m if max_d is None or m <= max_d else max_d + 1
    peq: dict[str, int] = {}
    for i, tok in enumerate(a):
        peq[tok] = peq.get(tok, 0) | (1 << i)
    return _lev_peq(peq, m, b, max_d)


def _lev_peq(peq: dict[str, int], m: int, b: Sequence[str], max_d: int | None) -> int:
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    remaining = len(b)
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
    if m == 0:
        return 1.0
    return 1.0 - _lev(ta, tb) / m


@dataclass(frozen=True)
class Decision:
    """Outcome for one text.

    ``reason``: None (kept), "empty" (no tokens), "near-duplicate" (too similar to a kept
    text) or "contaminated" (too similar to a reference; takes precedence over
    near-duplicate). ``similar_to``: key of the most similar offender (ties: earliest
    added) -- a kept text's ``key``, or its text when added without one; for references
    ``f"{reference_label}:{index}"``. ``similarity``: that offender's similarity; 0.0 when
    kept or empty (sub-threshold similarities are never computed, so no max is reported).
    """

    kept: bool
    reason: str | None
    similar_to: str | None
    similarity: float


class _Index:
    """Prefix-indexed token sets of one collection (kept texts or references)."""

    def __init__(self) -> None:
        self.postings: dict[str, list[int]] = {}
        self.tokens: list[list[str]] = []
        self.sets: list[frozenset[str]] = []
        self.need: list[int] = []  # min shared prefix elements (the k used for that text)
        self.keys: list[str] = []

    def add(self, q: "_Query", key: str) -> None:
        doc = len(self.tokens)
        self.tokens.append(q.tokens)
        self.sets.append(q.set)
        self.need.append(q.k)
        self.keys.append(key)
        postings = self.postings
        for e in q.prefix:
            lst = postings.get(e)
            if lst is None:
                postings[e] = [doc]
            else:
                lst.append(doc)


class _Query:
    """A tokenized text with its element set and prefix under the global order."""

    __slots__ = ("tokens", "set", "prefix", "k", "peq")

    def __init__(self, dd: "Deduplicator", tokens: list[str]) -> None:
        self.tokens = tokens
        seen: dict[str, int] = {}
        elems = []
        for tok in tokens:
            j = seen.get(tok, 0)
            seen[tok] = j + 1
            # "\x00" never occurs inside a token (tokens are \w+ runs or one non-space
            # char), so "tok\x00j" is unique per (token, occurrence).
            elems.append((dd._count(tok), tok, j))
        elems.sort()
        n = len(tokens)
        self.set = frozenset(t if j == 0 else f"{t}\x00{j}" for _, t, j in elems)
        alpha = dd._alpha(n)
        self.k = min(_K, alpha)
        self.prefix = [t if j == 0 else f"{t}\x00{j}" for _, t, j in elems[: n - alpha + self.k]]
        self.peq: dict[str, int] | None = None


class Deduplicator:
    """Streaming exact near-duplicate filter (see module docstring).

    ``token_counts`` (optional, keyword-only) sets the global token order, rarest first:
    pass document frequencies of the corpus (as :func:`dedup` does) for best speed.
    Without it a built-in list of common words goes last. It never affects results.
    """

    def __init__(
        self,
        threshold: float = 0.6,
        references: Iterable[str] = (),
        reference_label: str = "benchmark",
        *,
        token_counts: Mapping[str, int] | None = None,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be in [0, 1], got {threshold}")
        self.threshold = float(threshold)
        self.reference_label = reference_label
        self._counts = dict(_COMMON_COUNTS)
        if token_counts:
            self._counts.update(token_counts)
        self._maxd: dict[int, int] = {}
        self._kept = _Index()
        self._refs = _Index()
        for i, ref in enumerate(references):
            tokens = tokenize(ref)
            if tokens:  # an empty reference is similar to nothing
                self._refs.add(_Query(self, tokens), f"{reference_label}:{i}")

    def _count(self, tok: str) -> int:
        return self._counts.get(tok, 0)

    def _max_dist(self, m: int) -> int:
        """Largest distance d with ``1 - d/m > threshold`` in floats -- the same expression
        edit_similarity uses, so boundary cases decide exactly as brute force does."""
        d = self._maxd.get(m)
        if d is None:
            d = min(m, max(-1, int((1.0 - self.threshold) * m)))
            while d + 1 <= m and 1.0 - (d + 1) / m > self.threshold:
                d += 1
            while d >= 0 and not 1.0 - d / m > self.threshold:
                d -= 1
            self._maxd[m] = d
        return d

    def _alpha(self, n: int) -> int:
        """Lower bound on the overlap a similar partner of ANY length >= n must share with a
        text of n tokens: o > t*m >= t*n. The 1e-6 slack covers float rounding in the
        similarity (a prefix one token longer costs a little speed, never exactness)."""
        return max(1, min(n, math.ceil(self.threshold * n - 1e-6)))

    def check(self, text: str) -> Decision:
        """Decide for ``text`` without indexing it."""
        return self._decide(text)[0]

    def add(self, text: str, key: str | None = None) -> Decision:
        """Decide for ``text``; if kept, index it (as ``key``, default the text itself)."""
        decision, q = self._decide(text)
        if decision.kept:
            self._kept.add(q, text if key is None else key)
        return decision

    def __len__(self) -> int:
        return len(self._kept.tokens)

    def _decide(self, text: str) -> tuple[Decision, _Query | None]:
        tokens = tokenize(text)
        if not tokens:
            return Decision(False, "empty", None, 0.0), None
        q = _Query(self, tokens)
        for index, reason in ((self._refs, "contaminated"), (self._kept, "near-duplicate")):
            hit = self._probe(index, q)
            if hit is not None:
                return Decision(False, reason, index.keys[hit[1]], hit[0]), q
        return Decision(True, None, None, 0.0), q

    def _probe(self, index: _Index, q: _Query) -> tuple[float, int] | None:
        """Most similar (then earliest) indexed text with sim > threshold, as (sim, doc)."""
        postings = index.postings
        if not postings:
            return None
        lists = [postings[e] for e in q.prefix if e in postings]
        if not lists:
            return None
        # Counting hits in C (Counter over the chained posting lists) is the hot loop.
        counts = Counter(chain.from_iterable(lists))
        kq, need = q.k, index.need
        cands = sorted(d for d, c in counts.items() if c >= kq or c >= need[d])
        n, qset, tokens_of, sets = len(q.tokens), q.set, index.tokens, index.sets
        best: tuple[float, int] | None = None
        for doc in cands:
            other = tokens_of[doc]
            m = max(n, len(other))
            max_d = self._max_dist(m)
            if abs(n - len(other)) > max_d:  # length filter (also skips max_d < 0)
                continue
            if len(qset & sets[doc]) < m - max_d:  # lev >= m - multiset overlap
                continue
            if q.peq is None:
                q.peq = {}
                for i, tok in enumerate(q.tokens):
                    q.peq[tok] = q.peq.get(tok, 0) | (1 << i)
            d = _lev_peq(q.peq, n, other, max_d)
            if d <= max_d:
                sim = 1.0 - d / m
                if best is None or sim > best[0]:  # cands ascend, so ties keep the earliest
                    best = (sim, doc)
                    if d == 0:
                        break
        return best


def dedup(texts: Sequence[str], threshold: float = 0.6, references: Iterable[str] = ()) -> list[Decision]:
    """Decide for each text in order (each against the earlier kept ones and the
    references). Uses the corpus' document frequencies as the token order for speed."""
    references = list(references)
    counts: Counter[str] = Counter()
    for t in chain(texts, references):
        counts.update(set(tokenize(t)))
    dd = Deduplicator(threshold, references, token_counts=counts)
    return [dd.add(t) for t in texts]
