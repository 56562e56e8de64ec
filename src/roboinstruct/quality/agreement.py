"""Behavioural agreement across samples (CodeT / MBR-exec style, on RoboSim's own machinery).

k programs written for one instruction are run in the same concrete worlds: each world is a
fixed answer to every question a program can put to it (is X here, which option does a person
pick, which rooms exist), drawn from a hash of (world, question) so that two programs asking
the same thing get the same answer. A program's behaviour in a world is its sequence of robot
actions (moves, objects, whom it asks, whether it speaks — not the wording); programs with the
same behaviour in every world form a group. The instruction keeps the largest group's program
when that group is a strict majority of the valid samples; otherwise there is no clear reading
of the instruction (ambiguous, or beyond the model) and it is dropped.

Programs run only in sandbox workers (`agreement_job`), one per fresh process, which return each
world's record of API calls (what each returned, how the run ended), never a behaviour: the caller
rebuilds every behaviour by replaying the record against its own simulator with the same world answers
(`rebuilt`: the API decides, a result it does not give or a call the program's text cannot make
refuses the record) and groups them.
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


def _checked_group(programs: list[str], domain) -> tuple[list, list[str]]:
    """Each program checked (CheckedProgram or ProgramRejected, pure AST and compile: no program runs)
    and the rooms of the one building all share: the rooms every program's own words ask for."""
    from ..robosim.rooms import room_configs
    from ..sandbox import ProgramCache, ProgramRejected

    cache = ProgramCache()
    checked = [cache.get(p, domain.policy()) for p in programs]
    rooms: list[str] = []
    for c in checked:
        if not isinstance(c, ProgramRejected):
            for config in room_configs(c.tree, domain)[:1]:
                rooms += [r for r in config if r not in rooms]
    return checked, rooms or list(domain.room_pool)


def _sim(c, rooms: list[str], domain, step_limit: int, record: bool = False):
    from ..robosim.api import Sim
    from ..robosim.rooms import static_kinds

    return Sim(domain, [rooms], step_limit=step_limit, known_kinds=static_kinds(c.tree, domain), record=record)


def record_worlds(programs: list[str], index: int, domain, worlds: int = WORLDS, step_limit: int = 5000) -> dict:
    """What an agreement child returns: program `index` run in every world, as data (robosim.record):
    {"rejected": [kind, message, line] or None, "worlds": [{"calls", "end"} per world]}, each world's API
    calls `[name, args, line, result]` (sleeps `["time.sleep", [seconds], None]`) and how its run ended.
    The other programs of the group are only parsed (they decide the shared rooms), never run.
    Runs untrusted code in this process: call it from a sandbox worker."""
    from ..sandbox import ProgramRejected, base_env, run_once

    checked, rooms = _checked_group(programs, domain)
    c = checked[index]
    if isinstance(c, ProgramRejected):
        return {"rejected": [c.kind, c.message, c.line], "worlds": []}
    sim = _sim(c, rooms, domain, step_limit, record=True)
    base = base_env(sim)
    out = []
    for w in range(worlds):
        sim.reset(WorldChooser(w))
        failure = run_once(c, sim, base, w)
        out.append({"calls": sim.calls, "end": list(failure) if failure else None})
    return {"rejected": None, "worlds": out}


def rebuilt(record, programs: list[str], index: int, domain, worlds: int = WORLDS, step_limit: int = 5000, *,
            group: tuple | None = None, check_sites: bool = True) -> str | None:
    """The parent's digest of program `index`'s behaviour in every world (None: it cannot run), rebuilt
    from its child's record in trusted code: each world's calls made again on a fresh simulator with that
    world's answers (`WorldChooser`), through the API's semantics (robosim.replay.replay_path), so a call
    the API refuses ends the world with this side's robot error and a result the API does not give
    refuses the record; each call must also be one the program's text can make (robosim.callsites; off
    only to test the layers apart). Raises RecordRefused. `group`: `_checked_group(programs, domain)`,
    computed once per group."""
    from ..robosim.callsites import CallSites
    from ..robosim.record import decode
    from ..robosim.replay import RecordRefused, replay_path
    from ..sandbox import ProgramRejected

    if type(record) is not dict or set(record) != {"rejected", "worlds"} or type(record["worlds"]) is not list:
        raise RecordRefused("not a record of an agreement run")
    checked, rooms = group or _checked_group(programs, domain)
    c = checked[index]
    if isinstance(c, ProgramRejected) or record["rejected"] is not None:
        return None  # the static check refuses it here, or its child says it cannot run: it can always fail itself
    if len(record["worlds"]) != worlds:
        raise RecordRefused(f"a record of {len(record['worlds'])} worlds, not {worlds}")
    sim = _sim(c, rooms, domain, step_limit)
    sim.budget.limit = float("inf")  # the child counted steps; here nothing runs but the API's semantics
    sites = CallSites(c.tree, domain.functions) if check_sites else None
    quiet = {f.name for f in domain.functions.values() if f.reports}
    digest = hashlib.sha256()
    for w, path in enumerate(record["worlds"]):
        if type(path) is not dict or set(path) != {"calls", "end"} or type(path["calls"]) is not list:
            raise RecordRefused("a world's record is not {calls, end}")
        if len(path["calls"]) > step_limit:  # every call and sleep took a step: no honest world has more
            raise RecordRefused(f"a world of {len(path['calls'])} calls, over the step limit of {step_limit}")
        if sites is not None:
            for call in path["calls"]:
                if type(call) is list and len(call) in (3, 4) and type(call[0]) is str and type(call[1]) is list \
                        and call[0] != "time.sleep":  # anything else: replay_path refuses it
                    try:
                        args = tuple(decode(a) for a in call[1])
                    except ValueError:
                        raise RecordRefused("a call's arguments are not encoded values") from None
                    if not sites.can_make(call[0], args, call[2]):
                        raise RecordRefused(f"a call to {str(call[0])[:40]} at line {call[2]!r:.12} that the "
                                            f"program's text cannot make")
        sim.reset(WorldChooser(w))
        failure = replay_path(sim, path)
        try:
            digest.update(repr(_behaviour(sim, failure, quiet)).encode())
        except Exception as e:  # noqa: BLE001 - arguments the digest cannot read: as the child's crash was
            raise RecordRefused(f"a behaviour that cannot be read ({type(e).__name__})") from None
    return digest.hexdigest()[:16]


def behaviours(programs: list[str], domain, worlds: int = WORLDS, step_limit: int = 5000,
               only: int | None = None) -> list[str | None]:
    """One digest per program of its behaviour in every world (None: it cannot run; with `only`, every
    other program is left None), each recorded and rebuilt in this process, as a child and its parent
    would. Runs untrusted code in this process: trusted programs only (tests, experiments)."""
    group = _checked_group(programs, domain)
    return [rebuilt(record_worlds(programs, i, domain, worlds, step_limit), programs, i, domain, worlds,
                    step_limit, group=group) if only is None or i == only else None for i in range(len(programs))]


def agreement_job(task: dict) -> dict:
    """Sandbox worker entry: {"programs": [...], "index": i, "domain": {raw, source}, "worlds": n} ->
    program i's record in every world (`record_worlds`), never its behaviour: the parent rebuilds that
    (`rebuilt`). One program per job: each runs in its own fresh process."""
    from ..domain import parse_domain

    domain = parse_domain(task["domain"]["raw"], task["domain"]["source"])
    return record_worlds(task["programs"], int(task["index"]), domain, int(task.get("worlds", WORLDS)))


def _check_result(result: dict) -> str | None:
    """The pool's outline check of a reply (the record itself is checked as it is replayed)."""
    if result.get("crashed") is True:
        return None
    ok = set(result) == {"rejected", "worlds"} and isinstance(result["worlds"], list)
    return None if ok else "not an agreement record"


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
    """Behaviour digests for each group of programs (one instruction's samples): each program run in a
    sandbox worker, its behaviour rebuilt here from the record (a record that does not replay: that
    program's crash, None, as a worker that died)."""
    from ..robosim.verifier import declaration
    from ..sandbox import WorkerPool

    out: list[list[str | None]] = [[None] * len(g) for g in groups]
    checked: dict[int, tuple] = {}
    where = [(gi, i) for gi, g in enumerate(groups) for i in range(len(g))]
    tasks = ({"job": JOB, "programs": groups[gi], "index": i, "worlds": worlds,
              "domain": declaration(domain)} for gi, i in where)
    with WorkerPool(workers) as pool:
        for idx, result in pool.run(tasks, check=_check_result):
            if result.get("crashed"):
                continue
            gi, i = where[idx]
            if gi not in checked:
                checked[gi] = _checked_group(groups[gi], domain)
            try:
                out[gi][i] = rebuilt(result, groups[gi], i, domain, worlds, group=checked[gi])
            except Exception:  # noqa: BLE001 - a record the parent cannot follow is that job's crash
                out[gi][i] = None
    return out
