"""Behavioural agreement across samples (CodeT / MBR-exec style, on RoboSim's own machinery).

k programs written for one instruction are run in the same concrete worlds: each world is a
fixed answer to every question a program can put to it (is X here, which option does a person
pick, which rooms exist), drawn from a hash of (world, question) so that two programs asking
the same thing get the same answer. A program's behaviour in a world is its sequence of robot
actions (moves, objects, whom it asks, whether it speaks — not the wording); programs with the
same behaviour in every world form a group. The instruction keeps the largest group's program
when that group is a strict majority of the valid samples; otherwise there is no clear reading
of the instruction (ambiguous, or beyond the model) and it is dropped.

Programs run only in sandbox workers (`agreement_job`); the caller's side groups the results.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

JOB = "roboinstruct.quality.agreement:agreement_job"
WORLDS = 8


class WorldChooser:
    """A Chooser whose answers depend only on (world, question): the same world for every program."""

    __slots__ = ("world", "made", "prefix", "rng")

    def __init__(self, world: int):
        self.world, self.made, self.prefix, self.rng = world, [], (), None

    def choose(self, n: int, label: tuple) -> int:
        key = repr((self.world, label[0], label[1:] if label[0] != "answer" else (label[1], len(label[2]))))
        c = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % n
        self.made.append((n, c, label))
        return c

    def choices(self) -> list[int]:
        return [c for _, c, _ in self.made]


def _behaviour(sim, failure, quiet: set[str]) -> tuple:
    from ..robosim.world import canon

    steps = []
    for name, args, _line in sim.trace:
        if name in quiet:
            steps.append((name,))  # what is said differs in wording between good programs
        else:
            steps.append((name,) + tuple(canon(a) if isinstance(a, str) else
                                         tuple(sorted(canon(x) for x in a)) if isinstance(a, list) else a
                                         for a in args[:1]))
    if failure is not None:
        steps.append(("error", failure[0]))
    return tuple(steps)


def behaviours(programs: list[str], domain, worlds: int = WORLDS, step_limit: int = 5000,
               only: int | None = None) -> list[str | None]:
    """One digest per program of its behaviour in every world (None: it cannot run at all; with
    `only`, every other program is left None: it is parsed for the shared rooms, never run).
    Runs untrusted code in this process: call it from a sandbox worker."""
    from ..robosim.rooms import room_configs, static_kinds
    from ..robosim.api import Sim
    from ..sandbox import ProgramCache, ProgramRejected, base_env, run_once

    cache = ProgramCache()
    checked = [cache.get(p, domain.policy()) for p in programs]
    # One building for all: the rooms every program's own words ask for, so they see the same world.
    rooms: list[str] = []
    for c in checked:
        if not isinstance(c, ProgramRejected):
            for config in room_configs(c.tree, domain)[:1]:
                rooms += [r for r in config if r not in rooms]
    quiet = {f.name for f in domain.functions.values() if f.reports}
    out: list[str | None] = []
    for i, c in enumerate(checked):
        if isinstance(c, ProgramRejected) or only is not None and i != only:
            out.append(None)
            continue
        sim = Sim(domain, [rooms or list(domain.room_pool)], step_limit=step_limit,
                  known_kinds=static_kinds(c.tree, domain))
        base = base_env(sim)
        digest = hashlib.sha256()
        for w in range(worlds):
            sim.reset(WorldChooser(w))
            failure = run_once(c, sim, base, w)
            digest.update(repr(_behaviour(sim, failure, quiet)).encode())
        out.append(digest.hexdigest()[:16])
    return out


def agreement_job(task: dict) -> dict:
    """Sandbox worker entry: {"programs": [...], "index": i, "domain": {raw, source}, "worlds": n} ->
    {"behaviour": digest of program i (None: cannot run)}. One program per job: each runs in its own
    fresh process, the others of its group are only parsed (they decide the shared rooms)."""
    from ..domain import parse_domain

    domain = parse_domain(task["domain"]["raw"], task["domain"]["source"])
    i = int(task["index"])
    return {"behaviour": behaviours(task["programs"], domain, int(task.get("worlds", WORLDS)), only=i)[i]}


def _check_result(result: dict) -> str | None:
    if result.get("crashed") is True:
        return None
    b = result.get("behaviour", "missing")
    return None if set(result) == {"behaviour"} and (b is None or isinstance(b, str) and len(b) <= 64) \
        else "not an agreement result"


@dataclass
class Agreement:
    chosen: int | None   # index of the program to keep (None: no clear majority)
    size: int            # programs in the largest group
    valid: int           # programs compared
    groups: list[int]    # group sizes, largest first

    @property
    def share(self) -> float:
        return self.size / self.valid if self.valid else 0.0

    def to_dict(self) -> dict:
        return {"chosen": self.chosen, "size": self.size, "valid": self.valid, "groups": self.groups,
                "share": round(self.share, 3)}


def decide(digests: list[str | None], prefer: int = 0) -> Agreement:
    """The majority behaviour among valid samples; ties and pluralities are not a majority.
    `prefer`: the program to keep when it is in the majority group (the first valid one)."""
    valid = [(i, d) for i, d in enumerate(digests) if d is not None]
    if not valid:
        return Agreement(None, 0, 0, [])
    counts = Counter(d for _, d in valid)
    groups = sorted(counts.values(), reverse=True)
    top, size = counts.most_common(1)[0]
    if len(valid) > 1 and (size * 2 <= len(valid)):
        return Agreement(None, size, len(valid), groups)
    members = [i for i, d in valid if d == top]
    return Agreement(prefer if prefer in members else members[0], size, len(valid), groups)


def agreement_many(groups: list[list[str]], domain, *, workers: int | None = None,
                   worlds: int = WORLDS) -> list[list[str | None]]:
    """Behaviour digests for each group of programs (one instruction's samples), in sandbox workers."""
    from ..sandbox import WorkerPool

    out: list[list[str | None]] = [[None] * len(g) for g in groups]
    where = [(gi, i) for gi, g in enumerate(groups) for i in range(len(g))]
    tasks = ({"job": JOB, "programs": groups[gi], "index": i, "worlds": worlds,
              "domain": {"raw": domain.raw, "source": domain.source}} for gi, i in where)
    with WorkerPool(workers) as pool:
        for idx, result in pool.run(tasks, check=_check_result):
            if not result.get("crashed"):
                gi, i = where[idx]
                out[gi][i] = result["behaviour"]
    return out
