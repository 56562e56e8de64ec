"""Which seeds' oracles a verdict still needs: the rest are not run (`tabletop validate`'s default).

A verdict over K seeds needs every seed's checks up to the oracle (any seed's earlier failure, or a
goal already met at reset, decides it whatever the oracles do), but not every seed's oracle: under
either rule (the strict one, GenSim's) the verdict is decided once
- it fails at a stage before the oracle, on any seed (the oracles cannot change which stage or seed);
- it passes: at least ceil(τ·K) seeds succeeded (more successes change nothing, and a failed oracle is
  never an earlier stage);
- it fails at the oracle and the seeds not run could not lift it to ceil(τ·K) even if all succeeded.
So the physics runs every declared seed up to its oracle, the oracle on the first ceil(τ·K) of them,
and more oracles, seed order, in further waves while a rule is still open; the seeds never run are
reported as such (`oracle_run` False, `TaskVerdict.not_run`), never as failures or successes.
Stopping is exact: the status, the stage, the counterexample seed and its reason are what running
every oracle gives (the first failing seed in seed order is always one that ran); only the counts
say how many ran.
"""

from __future__ import annotations

import math

from .verdict import TaskVerdict

EVERY_ORACLE_FROM_WAVE = 3  # a rule still open after two waves is probably failing: run what is left


def first_oracles(declared: list[int], tau: float, k: int) -> list[int]:
    """The seeds whose oracle runs in the first wave: the first ceil(τ·K) declared seeds (fewer cannot
    pass; a failure among them costs another wave)."""
    return declared[:math.ceil(tau * k)]


def _open(status: str, stage: str | None, passed: int, unrun: int, need: int) -> tuple[int, int] | None:
    """(successes still needed to pass, failures still needed to fail) of a rule not yet decided, or None."""
    if status == "pass" or stage != "oracle" or passed + unrun < need:
        return None
    return need - passed, passed + unrun - need + 1


def more_oracles(v: TaskVerdict, results: list[dict], tau: float, wave: int) -> list[int]:
    """The seeds whose oracle the next wave runs, for the verdict `v` aggregated from `results` (seed
    order; [] once both rules are decided, or no seed is left to run)."""
    waiting = [r["seed"] for r in results if r.get("oracle_run") is False and r.get("stage") is None]
    if not waiting:
        return []
    need, unrun = math.ceil(tau * len(results)), len(waiting)
    g = v.gensim_verdict
    rules = [(v.status, v.stage, v.passed, v.not_run)]
    if g:
        rules.append((g["status"], g["stage"], g["passed"], g.get("not_run", 0)))
    open_rules = [o for o in (_open(status, stage, passed, n, need) for status, stage, passed, n in rules) if o]
    if not open_rules:
        return []
    if wave + 1 >= EVERY_ORACLE_FROM_WAVE:
        return waiting
    # as many as the likelier way out needs: if the seeds run so far mostly succeeded, the successes
    # still missing; otherwise the failures that would settle it
    ran = [r for r in results if r.get("oracle_run") is not False]
    succeeded = sum(bool(r.get("ok")) for r in ran)
    take = max(to_pass if 2 * succeeded >= len(ran) else to_fail for to_pass, to_fail in open_rules)
    return waiting[:max(1, min(take, unrun))]

