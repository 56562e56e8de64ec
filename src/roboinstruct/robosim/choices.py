"""Choice points: how one execution path is picked, and how the next one is found.

A path is the sequence of choices made at choice points. Re-executing a program with a
forced prefix reproduces a path exactly (programs are deterministic given their choices),
so depth-first exploration needs no snapshots of interpreter state.
"""

from __future__ import annotations

import random


class Chooser:
    __slots__ = ("prefix", "rng", "made")

    def __init__(self, prefix: list[int] | tuple[int, ...] = (), rng: random.Random | None = None):
        self.prefix = prefix
        self.rng = rng  # None: take option 0 past the prefix (depth-first); else sample
        self.made: list[tuple[int, int, tuple]] = []  # (number of options, chosen, label)

    def choose(self, n: int, label: tuple) -> int:
        i = len(self.made)
        if i < len(self.prefix):
            c = min(self.prefix[i], n - 1)
        elif self.rng is not None:
            c = self.rng.randrange(n)
        else:
            c = 0
        self.made.append((n, c, label))
        return c

    def choices(self) -> list[int]:
        return [c for _, c, _ in self.made]


def next_prefix(made: list[tuple[int, int, tuple]]) -> list[int] | None:
    """The depth-first successor of a finished path, or None when the tree is exhausted."""
    for i in range(len(made) - 1, -1, -1):
        n, c, _ = made[i]
        if c + 1 < n:
            return [m[1] for m in made[:i]] + [c + 1]
    return None
