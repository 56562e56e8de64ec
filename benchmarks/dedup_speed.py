"""Near-duplicate filter speed: roboinstruct's exact indexed Deduplicator vs brute force.

Synthesizes N realistic robot instructions (multi-step templates x vocabulary, with
paraphrased verbs and fillers, and a share of deliberate near-duplicates: a word swapped,
dropped or substituted, clauses reordered), then, on one core:

* times a ``Deduplicator.add`` loop on all N;
* times brute force -- every text against every reference and every earlier kept text
  with ``edit_similarity`` (the same bit-parallel Levenshtein kernel, so the ratio is the
  algorithm's, not the kernel's) -- on the first ``--brute`` texts, checks the decisions
  agree, and extrapolates to N from the number of comparisons brute force would make there
  (known exactly from the full run's kept counts); the cruder (N/n)^2 scaling, which
  ignores that the kept share falls as N grows, is printed too.

    python benchmarks/dedup_speed.py [--n 50000] [--brute 2000] [--threshold 0.6] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import time

from roboinstruct.pipeline.dedup import Deduplicator, dedup, edit_similarity, tokenize

PEOPLE = "Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Arjun Maria Chen Priya Omar Sofia Liam Noah Zoe Yuki".split()
ROOMS = [
    "kitchen", "lobby", "break room", "conference room", "storage room", "laundry room", "lab",
    "library", "mail room", "printer room", "reception", "lounge", "garage", "classroom",
    "living room", "bedroom", "bathroom", "office", "supply closet", "server room", "cafeteria",
    "gym", "study", "hallway", "meeting room",
]
OBJECTS = [
    "apple", "stapler", "mug", "book", "towel", "marker", "charger", "umbrella", "laptop",
    "water bottle", "pen", "notebook", "projector", "bed sheet", "whiteboard eraser", "phone",
    "banana", "sandwich", "coffee cup", "tape", "scissors", "folder", "keys", "backpack",
    "blanket", "pillow", "remote", "plant", "lamp", "chair", "box of tissues", "first aid kit",
    "soda can", "printer paper", "headphones", "clipboard", "fire extinguisher", "trash bag",
    "cookie", "newspaper",
]
OPTIONS = ["pizza", "salad", "coffee", "tea", "sushi", "tacos", "yes", "no", "now", "later", "red", "blue"]
GO = ["go to", "head to", "navigate to", "move to", "travel to", "visit", "walk to"]
TAKE = ["pick up", "grab", "take", "get", "fetch", "collect"]
BRING = ["bring it to", "deliver it to", "take it to", "carry it to", "drop it off in"]
TELL = ["tell me", "let me know", "report back", "come back and tell me", "inform me"]
ASK = ["ask", "check with", "find out from"]
FILLER = ["", "", "", "please", "quickly", "carefully", "if you can", "as soon as possible", "right away"]

STEPS = [
    lambda r: f"{r.choice(GO)} the {r.choice(ROOMS)}",
    lambda r: f"{r.choice(TAKE)} the {r.choice(OBJECTS)} from the {r.choice(ROOMS)}",
    lambda r: f"{r.choice(BRING)} the {r.choice(ROOMS)}",
    lambda r: f"{r.choice(ASK)} {r.choice(PEOPLE)} whether they want {r.choice(OPTIONS)} or {r.choice(OPTIONS)}",
    lambda r: f"{r.choice(TELL)} what {r.choice(PEOPLE)} said",
    lambda r: f"check every {r.choice(ROOMS)} for a {r.choice(OBJECTS)}",
    lambda r: f"if there is no {r.choice(OBJECTS)} in the {r.choice(ROOMS)}, get one from the {r.choice(ROOMS)}",
    lambda r: f"wait in the {r.choice(ROOMS)} until {r.choice(PEOPLE)} shows up",
    lambda r: f"put the {r.choice(OBJECTS)} on the table in the {r.choice(ROOMS)}",
    lambda r: f"{r.choice(TELL)} how many rooms have a {r.choice(OBJECTS)}",
    lambda r: f"say \"{r.choice(['hello', 'good morning', 'the meeting is moved', 'lunch is ready'])}\" to {r.choice(PEOPLE)}",
    lambda r: f"find {r.choice(PEOPLE)} and give them the {r.choice(OBJECTS)}",
]
JOIN = [", then ", ", and ", ". ", " and then ", ", after that "]


def fresh(r: random.Random) -> str:
    """A new instruction of 1-4 steps and 8-40 words."""
    while True:
        steps = [r.choice(STEPS)(r) for _ in range(r.choice([1, 2, 2, 3, 3, 4]))]
        text = steps[0]
        for s in steps[1:]:
            text += r.choice(JOIN) + s
        filler = r.choice(FILLER)
        if filler:
            text = f"{filler} {text}" if r.random() < 0.5 else f"{text} {filler}"
        if 8 <= len(text.split()) <= 40:
            return text[0].upper() + text[1:] + "."


def perturb(r: random.Random, text: str) -> str:
    """A paraphrase-like near-copy: 1-3 edits of word swaps, drops, substitutions, reorders."""
    words = text.rstrip(".").split()
    for _ in range(r.randint(1, 3)):
        op = r.randrange(4)
        i = r.randrange(len(words))
        if op == 0 and len(words) > 8:
            del words[i]
        elif op == 1:
            words[i] = r.choice(OBJECTS + ROOMS + PEOPLE).split()[-1]
        elif op == 2 and i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
        else:
            words.insert(i, r.choice(["the", "please", "now", "also", "first"]))
    return " ".join(words) + "."


def synthesize(n: int, seed: int, near_dup_share: float = 0.2) -> list[str]:
    r = random.Random(seed)
    out: list[str] = []
    for _ in range(n):
        out.append(perturb(r, r.choice(out)) if out and r.random() < near_dup_share else fresh(r))
    r.shuffle(out)
    return out


def brute_force(texts, threshold, references):
    """The definition, literally: each text vs every reference and every earlier kept text
    (all of them: the Decision names the most similar). Returns (kept flags, comparisons)."""
    refs = [r for r in map(tokenize, references) if r]
    kept: list[list[str]] = []
    flags, comparisons = [], 0
    for text in texts:
        toks = tokenize(text)
        sims = [edit_similarity(toks, other) for other in refs + kept] if toks else []
        comparisons += len(sims)
        flags.append(bool(toks) and max(sims, default=0.0) <= threshold)
        if flags[-1]:
            kept.append(toks)
    return flags, comparisons


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--brute", type=int, default=2_000)
    ap.add_argument("--threshold", type=float, default=0.6)
    ap.add_argument("--references", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    texts = synthesize(args.n, args.seed)
    references = synthesize(args.references, args.seed + 1)  # stand-in benchmark prompts
    words = sorted(len(t.split()) for t in texts)
    tokens = sorted(len(tokenize(t)) for t in texts)
    print(f"N={len(texts)} instructions: words min {words[0]}, median {words[len(words) // 2]}, "
          f"max {words[-1]} ({tokens[len(tokens) // 2]} tokens median); {len(references)} references; "
          f"threshold {args.threshold}")
    print(f"  e.g. {texts[0]!r}")

    def run():
        dd = Deduplicator(args.threshold, references)
        return [dd.add(t) for t in texts]

    decisions, wall, cpu = timed(run)
    kept = sum(d.kept for d in decisions)
    near = sum(d.reason == "near-duplicate" for d in decisions)
    cont = sum(d.reason == "contaminated" for d in decisions)
    print(f"Deduplicator on all {len(texts)}: {cpu:.1f} s CPU ({wall:.1f} s wall); kept {kept}, "
          f"dropped {len(texts) - kept} (near-duplicate {near}, contaminated {cont})")

    m = min(args.brute, len(texts))
    (flags, comps), bwall, bcpu = timed(lambda: brute_force(texts[:m], args.threshold, references))
    assert flags == [d.kept for d in dedup(texts[:m], args.threshold, references)], "brute force disagrees"
    # Brute force compares each text with every reference and every kept text before it;
    # the full run's kept counts give that number at N exactly, the subset its unit cost.
    refs = sum(1 for r in references if tokenize(r))
    comps_n, running = 0, 0
    for d in decisions:
        comps_n += running + refs
        running += d.kept
    est = bcpu / comps * comps_n
    quad = bcpu * (len(texts) / m) ** 2
    print(f"brute force on first {m}: {bcpu:.1f} s CPU ({bwall:.1f} s wall), {comps:,} comparisons "
          f"({bcpu / comps * 1e6:.1f} us each), kept {sum(flags)}: identical decisions")
    print(f"brute force at N: {comps_n:,} comparisons -> ~{est:,.0f} s CPU ({est / 3600:.1f} h); "
          f"naive (N/{m})^2 scaling would say {quad:,.0f} s ({quad / 3600:.1f} h)")
    print(f"speed-up at N: {est / cpu:,.0f}x (vs naive-scaling estimate {quad / cpu:,.0f}x)")


if __name__ == "__main__":
    main()
