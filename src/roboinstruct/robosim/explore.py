"""Run one program over many choice sequences and decide: valid, or a counterexample.

Depth-first over choice points (re-execution with a forced prefix) until the tree is
exhausted or `dfs_paths` is spent, then seeded random paths up to `paths` in total. The
first failing path ends the search. No wall clock is read: the same program, domain and
seed give the same verdict on any machine under any load.

This runs untrusted code in the *current* process with restricted builtins; call it
from a sandbox worker (roboinstruct.sandbox.workers), not from a process you care about.
"""

from __future__ import annotations

from ..domain import Domain, load_domain
from ..sandbox import ProgramCache, ProgramRejected, base_env, run_once
from .api import Sim
from .choices import Schedule
from .record import shown
from .rooms import static_facts
from .verdict import Verdict

DEFAULT_PATHS = 1000
DEFAULT_DFS_PATHS = 256
DEFAULT_STEP_LIMIT = 5000
OUTPUT_SHOWN = 2000

_CACHE = ProgramCache()


def _fmt_call(name: str, args: tuple) -> str:
    return f"{name}({', '.join(shown(a)[:80] for a in args)})"


def explore(source: str, domain: Domain | str | None = None, *, seed: int = 0, paths: int = DEFAULT_PATHS,
            dfs_paths: int = DEFAULT_DFS_PATHS, step_limit: int = DEFAULT_STEP_LIMIT,
            fairness: int = 3, entry: str = "task_program", strict: bool = False,
            record: list | None = None) -> Verdict:
    """The verdict on one program, run here. With `record` (a list), every path's data is appended to it
    as well (robosim.record: what a sandbox child returns for the parent's replay to judge)."""
    dom = load_domain(domain)
    checked = _CACHE.get(source, dom.policy(entry))
    if isinstance(checked, ProgramRejected):
        return Verdict(False, checked.kind, checked.message, checked.line, 0, False)
    if not hasattr(checked, "rooms"):  # static facts, computed once per compiled program
        checked.rooms, checked.kinds = static_facts(checked.tree, dom)
    sim = Sim(dom, checked.rooms, step_limit=step_limit, fairness=fairness, known_kinds=checked.kinds, strict=strict,
              record=record is not None)
    base = base_env(sim)
    max_steps = 0
    schedule = Schedule(paths, dfs_paths, seed)
    for chooser in schedule:
        sim.reset(chooser)
        failure = run_once(checked, sim, base, seed)
        max_steps = max(max_steps, sim.budget.n)
        if record is not None:
            record.append({"calls": sim.calls, "end": list(failure) if failure else None, "steps": sim.budget.n,
                           "output": "".join(sim.output)[:OUTPUT_SHOWN] if failure else "",
                           "choices": sim.chooser.choices() if failure else []})
        if failure is not None:
            kind, message, line = failure
            return Verdict(False, kind, message, line, schedule.count, False, counterexample(sim, "".join(sim.output)),
                           {"max_steps": max_steps})
    return Verdict(True, paths=schedule.count, exhaustive=schedule.exhausted, stats={"max_steps": max_steps})


def counterexample(sim: Sim, output: str) -> dict:
    """The failing path as a reader sees it (from the simulator that ran or replayed it)."""
    return {
        "choices": [sim.describe_choice(label, n, c) for n, c, label in sim.chooser.made],
        "choice_indices": sim.chooser.choices(),
        "trace": [f"line {ln}: {_fmt_call(name, args)}" if ln else _fmt_call(name, args)
                  for name, args, ln in sim.trace],
        "world": sim.world.describe(),
        "rooms": sim.rooms,
        "output": output[:OUTPUT_SHOWN],
    }
