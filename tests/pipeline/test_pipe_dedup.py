"""Near-duplicate filter: the similarity, the Decision contract, and exactness vs brute force."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roboinstruct.pipeline.dedup import (
    Decision,
    Deduplicator,
    dedup,
    edit_similarity,
    tokenize,
)


def naive_lev(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def naive_sim(ta, tb):
    m = max(len(ta), len(tb))
    return 1.0 - naive_lev(ta, tb) / m if m else 1.0


def brute(texts, threshold=0.6, references=(), label="benchmark", sim=naive_sim):
    """The definition, literally: references first (contamination wins), then every kept
    text; the most similar offender, earliest on ties."""
    refs = [(f"{label}:{i}", tokenize(r)) for i, r in enumerate(references)]
    refs = [(k, t) for k, t in refs if t]
    kept, out = [], []
    for text in texts:
        toks = tokenize(text)
        if not toks:
            out.append(Decision(False, "empty", None, 0.0))
            continue
        decision = None
        for pool, reason in ((refs, "contaminated"), (kept, "near-duplicate")):
            best = None
            for key, other in pool:
                s = sim(toks, other)
                if s > threshold and (best is None or s > best[0]):
                    best = (s, key)
            if best:
                decision = Decision(False, reason, best[1], best[0])
                break
        if decision is None:
            decision = Decision(True, None, None, 0.0)
            kept.append((text, toks))
        out.append(decision)
    return out


def test_tokenize_lowercases_and_splits_punctuation():
    assert tokenize("Go to Arjun's office, then   COME back!") == [
        "go", "to", "arjun", "'", "s", "office", ",", "then", "come", "back", "!"]
    assert tokenize("  \n ") == []


def test_edit_similarity_values():
    a = "pick up the red cup from the kitchen table now please"
    assert edit_similarity(a, a) == 1.0
    assert edit_similarity(a, a.replace("red", "blue")) == pytest.approx(10 / 11)
    assert edit_similarity("a b c", "") == 0.0
    assert edit_similarity("", "") == 1.0
    assert edit_similarity(["x", "y"], "X Y") == 1.0  # token lists are taken as-is
    assert edit_similarity("a b c d", "d c b a") == pytest.approx(0.0)  # reversal: lev 4


def test_levenshtein_matches_naive_dp():
    rng = random.Random(7)
    for _ in range(3000):
        a = [rng.choice("abcd") for _ in range(rng.randint(0, 80))]
        b = [rng.choice("abcd") for _ in range(rng.randint(0, 80))]
        assert edit_similarity(a, b) == naive_sim(a, b)


def test_decision_contract():
    dd = Deduplicator(references=["bring the stapler to the printer room"], reference_label="bench")
    assert dd.add("   ") == Decision(False, "empty", None, 0.0)
    first = dd.add("Go to the kitchen and bring me an apple.", key="id-1")
    assert first == Decision(True, None, None, 0.0)
    assert len(dd) == 1
    near = dd.check("Go to the kitchen and bring me a banana.")
    assert (near.kept, near.reason, near.similar_to) == (False, "near-duplicate", "id-1")
    assert near.similarity == pytest.approx(8 / 10)  # "an apple" -> "a banana"
    assert len(dd) == 1  # check() never indexes
    contaminated = dd.add("Bring the stapler to the printer room.")
    assert (contaminated.reason, contaminated.similar_to) == ("contaminated", "bench:0")
    assert dd.add("Ask Alice whether she wants pizza or salad for lunch.").kept
    dup = dd.add("ask alice whether she wants pizza or salad for lunch")  # key defaults to text
    assert dup.similar_to == "Ask Alice whether she wants pizza or salad for lunch."
    assert len(dd) == 2


def test_contamination_takes_precedence_and_rejected_texts_are_not_indexed():
    text = "check every classroom for a whiteboard and tell me which ones lack one"
    dd = Deduplicator(references=[text.upper()])
    dd.add(text + " please")  # contaminated: never indexed
    assert len(dd) == 0
    assert dd.add(text).reason == "contaminated"


def test_most_similar_offender_wins_and_ties_keep_the_earliest():
    base = "go to the lab and pick up the blue marker then bring it to me and wait there for ten".split()
    assert len(base) == 20

    def variant(*positions):
        return " ".join("zzz" if i in positions else w for i, w in enumerate(base))

    dd = Deduplicator(threshold=0.82)
    # far: 3 substitutions (0.85); close/tie: 2 each (0.9); pairwise they are <= 0.8, all kept.
    for key, positions in (("far", (0, 1, 2)), ("close", (8, 9)), ("tie", (14, 15))):
        assert dd.add(variant(*positions), key=key).kept
    d = dd.check(" ".join(base))
    assert (d.reason, d.similar_to, d.similarity) == ("near-duplicate", "close", pytest.approx(0.9))


def test_adversarial_cases():
    words = "fetch the charger from the supply closet and leave it on carol s desk".split()
    dd = Deduplicator()
    dd.add(" ".join(words))
    # Same words reordered: full bag-of-words overlap, but edit similarity is low.
    assert dd.check(" ".join(reversed(words))).kept
    # One word changed: 13/14 similar.
    assert dd.check(" ".join(["grab"] + words[1:])).similarity == pytest.approx(13 / 14)
    # Long vs short: a 9-token prefix of a 14-token text has sim 9/14 > 0.6 ...
    assert not dd.check(" ".join(words[:9])).kept
    # ... an 8-token one 8/14 < 0.6; likewise the text padded to 24 tokens (14/24).
    assert dd.check(" ".join(words[:8])).kept
    assert dd.check(" ".join(words + "then go back to the lobby and wait for me".split())).kept


def test_threshold_bounds():
    with pytest.raises(ValueError):
        Deduplicator(threshold=1.5)
    with pytest.raises(ValueError):
        Deduplicator(threshold=-0.1)
    assert all(d.kept for d in dedup(["a b", "a b", "a b"], threshold=1.0))  # sim > 1 never
    assert [d.kept for d in dedup(["a b", "a c", "d e"], threshold=0.0)] == [True, False, True]


def test_float_boundary_threshold():
    # 7/41 * 41 rounds UP to 7.000000000000001, yet 1 - 34/41 > 7/41 in floats: the filter
    # must still consider 41-token pairs sharing only 7 tokens (the 1e-6 slack in _alpha).
    a = [f"a{i}" for i in range(41)]
    b = [w if i % 6 == 0 else f"b{i}" for i, w in enumerate(a)]
    assert edit_similarity(a, b) > 7 / 41
    assert [d.kept for d in dedup([" ".join(a), " ".join(b)], 7 / 41)] == [True, False]


@pytest.mark.parametrize("seed", range(6))
def test_exact_vs_brute_force_random(seed):
    rng = random.Random(seed)
    for _ in range(40):
        vocab = [f"w{i}" for i in range(rng.randint(2, 9))]
        def text():
            return " ".join(rng.choice(vocab) for _ in range(rng.randint(0, rng.choice([4, 12, 30]))))
        texts = [text() for _ in range(rng.randint(1, 40))]
        refs = [text() for _ in range(rng.randint(0, 3))]
        # Includes thresholds where 1 - d/m == t exactly in reals but not in floats (0.3, 0.7).
        t = rng.choice([0.0, 0.1, 0.25, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0, rng.random()])
        expected = brute(texts, t, refs)
        assert dedup(texts, t, refs) == expected
        dd = Deduplicator(t, refs)  # streaming, built-in token order
        assert [dd.add(x) for x in texts] == expected


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(st.lists(st.sampled_from(["go", "the", "cup", "to", ",", "red", "lab", "me"]),
                            max_size=14).map(" ".join), max_size=25),
    refs=st.lists(st.lists(st.sampled_from(["go", "the", "cup", "lab"]), max_size=8).map(" ".join),
                  max_size=2),
    threshold=st.floats(0.0, 1.0),
)
def test_exact_vs_brute_force_property(texts, refs, threshold):
    assert dedup(texts, threshold, refs) == brute(texts, threshold, refs)


def test_exact_on_templated_robot_instructions():
    """Realistic, heavily templated text (the case prefix filtering finds hardest); the kept
    set crosses several of the Deduplicator's re-index points (32, 64, 128 kept)."""
    rng = random.Random(3)
    people, rooms = ["alice", "bob", "carol", "dave"], ["kitchen", "lab", "lobby", "office", "garage"]
    objs = ["apple", "mug", "stapler", "book", "towel", "pen"]
    steps = [
        lambda: f"go to the {rng.choice(rooms)}",
        lambda: f"pick up the {rng.choice(objs)} from the {rng.choice(rooms)}",
        lambda: f"ask {rng.choice(people)} if they want the {rng.choice(objs)}",
        lambda: f"tell me what {rng.choice(people)} said",
        lambda: f"if there is no {rng.choice(objs)} , bring one from the {rng.choice(rooms)}",
    ]
    texts = []
    for _ in range(500):
        if texts and rng.random() < 0.3:
            w = rng.choice(texts).split()
            w[rng.randrange(len(w))] = rng.choice(objs + rooms)
            texts.append(" ".join(w))
        else:
            texts.append(" then ".join(rng.choice(steps)() for _ in range(rng.randint(1, 4))))
    refs = texts[:5]
    for t in (0.5, 0.6, 0.8):
        expected = brute(texts, t, refs, sim=edit_similarity)  # fast kernel, checked vs naive above
        assert dedup(texts, t, refs) == expected
        assert 0 < sum(d.kept for d in expected) < len(texts)
