"""Run one program over many choice sequences and decide: valid, or a counterexample.

Depth-first over choice points (re-execution with a forced prefix) until the tree is
exhausted or `dfs_paths` is spent, then seeded random paths up to `paths` in total. The
first failing path ends the search. No wall clock is read: the same program, domain and
seed give the same verdict on any machine under any load.

This runs untrusted code in the *current* process with restricted builtins; call it
from a sandbox worker (roboinstruct.sandbox.workers), not from a process you care about.
"""

from __future__ import annotations

import random as _random

from ..domain import Domain, load_domain
from ..sandbox import ProgramCache, ProgramRejected, base_env, run_once
from .api import Sim
from .choices import Chooser, next_prefix
from .rooms import room_configs, static_kinds
from .verdict import Verdict

DEFAULT_PATHS = 1000
DEFAULT_DFS_PATHS = 256
DEFAULT_STEP_LIMIT = 5000

_CACHE = ProgramCache()


def _fmt_call(name: str, args: tuple) -> str:
    return f"{name}({', '.join(repr(a)[:80] for a in args)})"


def explore(source: str, domain: Domain | str | None = None, *, seed: int = 0, paths: int = DEFAULT_PATHS,
            dfs_paths: int = DEFAULT_DFS_PATHS, step_limit: int = DEFAULT_STEP_LIMIT,
            fairness: int = 3, entry: str = "task_program", strict: bool = False) -> Verdict:
    dom = load_domain(domain)
    checked = _CACHE.get(source, dom.policy(entry))
    if isinstance(checked, ProgramRejected):
        return Verdict(False, checked.kind, checked.message, checked.line, 0, False)
    if not hasattr(checked, "rooms"):  # static facts, computed once per compiled program
        checked.rooms = room_configs(checked.tree, dom)
        checked.kinds = static_kinds(checked.tree, dom)
    sim = Sim(dom, checked.rooms, step_limit=step_limit, fairness=fairness, known_kinds=checked.kinds, strict=strict)
    base = base_env(sim)
    count, max_steps = 0, 0
    prefix: list[int] | None = []
    rng: _random.Random | None = None
    dfs_budget = max(1, min(dfs_paths, paths))
    while count < paths:
        if rng is None and (prefix is None or count >= dfs_budget):
            if prefix is None:  # tree exhausted: every path has been run
                return Verdict(True, paths=count, exhaustive=True, stats={"max_steps": max_steps})
            rng = _random.Random(seed)
        sim.reset(Chooser(prefix if rng is None else (), rng))
        count += 1
        failure = run_once(checked, sim, base, seed)
        max_steps = max(max_steps, sim.budget.n)
        if failure is not None:
            kind, message, line = failure
            return Verdict(False, kind, message, line, count, False, _counterexample(sim), {"max_steps": max_steps})
        if rng is None:
            prefix = next_prefix(sim.chooser.made)
    return Verdict(True, paths=count, exhaustive=rng is None and prefix is None, stats={"max_steps": max_steps})


def _counterexample(sim: Sim) -> dict:
    return {
        "choices": [sim.describe_choice(label, n, c) for n, c, label in sim.chooser.made],
        "choice_indices": sim.chooser.choices(),
        "trace": [f"line {ln}: {_fmt_call(name, args)}" if ln else _fmt_call(name, args)
                  for name, args, ln in sim.trace],
        "world": sim.world.describe(),
        "rooms": sim.rooms,
        "output": "".join(sim.output)[:2000],
    }
