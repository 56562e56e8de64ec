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


class Schedule:
    """The paths one exploration runs, in order: depth-first over choice points (re-execution with a
    forced prefix) until the tree is exhausted or `dfs_paths` is spent, then seeded random paths up to
    `paths` in total. Iterating yields one Chooser per path; the caller runs the path with it before
    asking for the next (the next depth-first prefix follows from the choices it made). The same
    schedule drives the exploration (`explore`, where the program runs) and the parent's replay of it
    (`replay`, where it does not): a record cannot choose its own paths."""

    __slots__ = ("paths", "dfs_budget", "seed", "count", "exhausted")

    def __init__(self, paths: int, dfs_paths: int, seed: int):
        self.paths, self.seed = paths, seed
        self.dfs_budget = max(1, min(dfs_paths, paths))
        self.count = 0
        self.exhausted = False  # every path of the choice tree ran

    def __iter__(self):
        prefix: list[int] | None = []
        rng: random.Random | None = None
        while self.count < self.paths:
            if rng is None and (prefix is None or self.count >= self.dfs_budget):
                if prefix is None:  # tree exhausted: every path has been run
                    self.exhausted = True
                    return
                rng = random.Random(self.seed)
            chooser = Chooser(prefix if rng is None else (), rng)
            self.count += 1
            yield chooser
            if rng is None:
                prefix = next_prefix(chooser.made)
        self.exhausted = rng is None and prefix is None
