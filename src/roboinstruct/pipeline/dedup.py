r"""Self-Instruct-style near-duplicate filtering and benchmark decontamination.

Similarity is token-level edit similarity, ``sim(a, b) = 1 - lev(ta, tb) / max(|ta|, |tb|)``
over lower-cased word tokens. A text is rejected when its similarity to any already-kept
text ("near-duplicate") or to any reference text ("contaminated") EXCEEDS the threshold.

The result is exact -- identical to comparing every pair with :func:`edit_similarity` -- but
avoids the quadratic scan with a set-similarity join:

* Make each token sequence a set by numbering repeats (``cup``, ``cup\x001``, ...) so the set
  intersection is the multiset overlap ``o``. Any alignment matches at most ``o`` tokens, so
  ``lev >= max_len - o``; ``sim > t`` therefore needs ``o >= max_len - max_dist(max_len)``,
  roughly ``o > t * max_len``, and also ``|len_a - len_b| <= lev`` (length filter).
* Prefix filter, generalised to ``k`` shared tokens: sort each set by a fixed global order;
  if two sets share ``>= alpha`` elements, the first ``k`` shared ones lie within the first
  ``len - alpha + k`` of each. Indexing those prefixes and requiring ``>= k`` hits prunes
  almost all pairs while staying exact (any order is correct; rarest-first is fastest, so
  the order follows document frequencies, re-fitted as the kept set grows).
* Survivors get an exact multiset-overlap check (C-speed set intersection), then a
  bit-parallel Levenshtein (Myers/Hyyro) with early exit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import Iterable, Sequence

__all__ = ["tokenize", "edit_similarity", "Decision", "Deduplicator", "dedup"]

# Words (Unicode \w runs) and single punctuation marks, lower-cased. Punctuation is kept as
# tokens so "cup." and "cup?" differ slightly, but case and whitespace never matter.
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")

_K = 10  # see _prefix_len; measured best (8-12) on templated robot instructions


def tokenize(text: str) -> list[str]:
    r"""Lower-cased word and punctuation tokens: ``re.findall(r"\w+|[^\w\s]", text.lower())``."""
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
    return _lev_peq(_peq(a), m, b, max_d)


def _peq(pattern: Sequence[str]) -> dict[str, int]:
    """Token -> bit mask of its positions in the pattern."""
    peq: dict[str, int] = {}
    for i, tok in enumerate(pattern):
        peq[tok] = peq.get(tok, 0) | (1 << i)
    return peq


def _lev_peq(peq: dict[str, int], m: int, b: Sequence[str], max_d: int | None) -> int:
    """Distance between the m-token pattern behind ``peq`` and ``b`` (see _lev)."""
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
    return 1.0 - _lev(ta, tb) / m if m else 1.0


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


def _elements(tokens: Sequence[str]) -> list[tuple[str, str]]:
    r"""(token, element) pairs: the j-th repeat of a token becomes "tok\x00j", turning the
    multiset into a set. Tokens are \w+ runs or ONE other char, so no token contains
    "\x00" + digits: elements are unique per (token, occurrence)."""
    seen: dict[str, int] = {}
    out = []
    for tok in tokens:
        j = seen.get(tok, 0)
        seen[tok] = j + 1
        out.append((tok, tok if j == 0 else f"{tok}\x00{j}"))
    return out


class _Index:
    """Prefix-indexed token sets of one collection (kept texts or references)."""

    def __init__(self) -> None:
        self.postings: dict[str, list[int]] = {}
        self.tokens: list[list[str]] = []
        self.sets: list[frozenset[str]] = []
        self.need: list[int] = []  # k of each text's prefix (see Deduplicator._prefix_len)
        self.keys: list[str] = []

    def add(self, q: "_Query", dd: "Deduplicator", key: str) -> None:
        doc, n = len(self.tokens), len(q.tokens)
        self.tokens.append(q.tokens)
        self.sets.append(q.set)
        self.need.append(min(_K, dd._alpha(n)))
        self.keys.append(key)
        dd._df.update(q.set)
        for e in q.order[: dd._prefix_len(n)]:
            self.postings.setdefault(e, []).append(doc)

    def reindex(self, dd: "Deduplicator") -> None:
        self.postings = {}
        for doc, tokens in enumerate(self.tokens):
            for e in dd._order(tokens)[: dd._prefix_len(len(tokens))]:
                self.postings.setdefault(e, []).append(doc)


class _Query:
    """A tokenized text: its element set and its elements in the global (rare-first) order."""

    __slots__ = ("tokens", "set", "order", "peq")

    def __init__(self, dd: "Deduplicator", tokens: list[str]) -> None:
        self.tokens = tokens
        self.order = dd._order(tokens)
        self.set = frozenset(self.order)
        self.peq: dict[str, int] | None = None


class Deduplicator:
    """Streaming exact near-duplicate filter (see module docstring).

    The global token order is rarest-first by document frequency among the indexed texts;
    as that drifts, the index is rebuilt under a fresh order each time the kept set
    doubles (amortised O(1) per text). The order only affects speed, never results.
    """

    def __init__(
        self, threshold: float = 0.6, references: Iterable[str] = (), reference_label: str = "benchmark"
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be in [0, 1], got {threshold}")
        self.threshold = float(threshold)
        self.reference_label = reference_label
        self._counts: dict[str, int] = {}  # document frequencies behind the order in force
        self._df: Counter[str] = Counter()  # element -> indexed texts containing it, live
        self._reindex_at = 32
        self._maxd: dict[int, int] = {}
        self._kept = _Index()
        self._refs = _Index()
        for i, ref in enumerate(references):
            tokens = tokenize(ref)
            if tokens:  # an empty reference is similar to nothing
                self._refs.add(_Query(self, tokens), self, f"{reference_label}:{i}")
        self._reindex()

    def _reindex(self) -> None:
        self._counts = dict(self._df)
        self._refs.reindex(self)
        self._kept.reindex(self)

    def _count(self, elem: str, tok: str) -> int:
        c = self._counts.get(elem)  # a repeat without its own count ranks with its token
        return self._counts.get(tok, 0) if c is None else c

    def _order(self, tokens: list[str]) -> list[str]:
        """The text's elements in the global order (rarest first, then by name)."""
        return [e for _, e in sorted((self._count(e, tok), e) for tok, e in _elements(tokens))]

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
        return max(1, math.ceil(self.threshold * n - 1e-6))

    def _prefix_len(self, n: int) -> int:
        """If two texts share >= alpha elements, the first k shared ones (in the global
        order) lie in the first n - alpha + k elements of each, for any k <= alpha. Each
        side uses its own alpha bound and k = min(_K, alpha); a side with k < _K is indexed
        in full, so the prefixes share >= max of the two k's."""
        alpha = self._alpha(n)
        return n - alpha + min(_K, alpha)

    def check(self, text: str) -> Decision:
        """Decide for ``text`` without indexing it."""
        return self._decide(text)[0]

    def add(self, text: str, key: str | None = None) -> Decision:
        """Decide for ``text``; if kept, index it (as ``key``, default the text itself)."""
        decision, q = self._decide(text)
        if decision.kept:
            self._kept.add(q, self, text if key is None else key)
            if len(self) >= self._reindex_at:
                self._reindex_at *= 2
                self._reindex()
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
        n = len(q.tokens)
        lists = [postings[e] for e in q.order[: self._prefix_len(n)] if e in postings]
        if not lists:
            return None
        # Counting prefix hits in C (Counter over the chained posting lists) is the hot loop.
        counts = Counter(chain.from_iterable(lists))
        kq, need = min(_K, self._alpha(n)), index.need
        qset, tokens_of, sets = q.set, index.tokens, index.sets
        best: tuple[float, int] | None = None
        for doc in sorted(d for d, c in counts.items() if c >= kq and c >= need[d]):
            other = tokens_of[doc]
            m = max(n, len(other))
            max_d = self._max_dist(m)
            if abs(n - len(other)) > max_d:  # length filter (also skips all when max_d < 0)
                continue
            if len(qset & sets[doc]) < m - max_d:  # lev >= m - multiset overlap
                continue
            if q.peq is None:  # built once per query, only if something gets this far
                q.peq = _peq(q.tokens)
            d = _lev_peq(q.peq, n, other, max_d)
            if d <= max_d:
                sim = 1.0 - d / m
                if best is None or sim > best[0]:  # docs ascend, so ties keep the earliest
                    best = (sim, doc)
                    if d == 0:  # nothing beats 1.0
                        break
        return best


def dedup(texts: Sequence[str], threshold: float = 0.6, references: Iterable[str] = ()) -> list[Decision]:
    """Decide for each text in order (each against the earlier kept ones and the references)."""
    dd = Deduplicator(threshold, references)
    return [dd.add(t) for t in texts]


def benchmark_prompts(specs: list[str]) -> tuple[list[str], list[str]]:
    """Prompts of the benchmarks to decontaminate against, and notes on what was used."""
    prompts, notes = [], []
    for spec in specs:
        try:
            from ..benchmark import load_tasks
        except ImportError:
            notes.append(f"{spec}: benchmark module not installed, not decontaminated")
            continue
        tasks = list(load_tasks(spec).values())  # name -> Task
        found = [p for t in tasks for p in t.prompts]
        prompts += found
        notes.append(f"{spec}: {len(tasks)} tasks, {len(found)} prompts")
    return prompts, notes
