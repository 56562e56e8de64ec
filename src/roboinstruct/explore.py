"""Run one program over many choice sequences and decide: valid, or a counterexample.

Depth-first over choice points (re-execution with a forced prefix) until the tree is
exhausted or `dfs_paths` is spent, then seeded random paths up to `paths` in total. The
first failing path ends the search. No wall clock is read: the same program, domain and
seed give the same verdict on any machine under any load.

This runs untrusted code in the *current* process with restricted builtins; call it
from a sandbox worker (roboinstruct.workers), not from a process you care about.
"""

from __future__ import annotations

import collections
import math
import random as _random
import re
from types import SimpleNamespace

from .choices import Chooser, next_prefix
from .domain import Domain, load_domain
from .robosim import Sim, StepBudgetExceeded
from .rooms import room_configs, static_kinds
from .sandbox import (SAFE_BUILTIN_NAMES, SAFE_EXCEPTIONS, SHIM_MODULES, ProgramCache,
                      ProgramRejected, SandboxViolation, safe_format)
from .verdict import Verdict
from .world import RobotError

DEFAULT_PATHS = 1000
DEFAULT_DFS_PATHS = 256
DEFAULT_STEP_LIMIT = 5000
OUTPUT_LIMIT = 64_000

_CACHE = ProgramCache()


def _safe_type(obj):
    return type(obj)  # one-argument form only: no class creation


def _builtins(sim: Sim) -> dict:
    import builtins as b

    table = {n: getattr(b, n) for n in SAFE_BUILTIN_NAMES + SAFE_EXCEPTIONS}
    table["type"] = _safe_type

    def _print(*args, sep=" ", end="\n", **_ignored):
        text = str(sep).join(str(a) for a in args) + str(end)
        room = OUTPUT_LIMIT - sim.output_size
        if room > 0:
            sim.output.append(text[:room])
            sim.output_size += min(len(text), room)

    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        # Only the shims exist; the static check already refused every other import.
        shim = sim.shims.get(name)
        if shim is None or level:
            raise SandboxViolation(f"import of {name!r} is not allowed")
        return shim

    table["print"] = _print
    table["__import__"] = _import
    return table


def _shims(sim: Sim, seed: int) -> dict:
    time_shim = SimpleNamespace(sleep=sim.sleep, time=lambda: 1_700_000_000.0 + sim.world.clock,
                                monotonic=lambda: sim.world.clock, perf_counter=lambda: sim.world.clock)
    math_shim = SimpleNamespace(**{n: getattr(math, n) for n in SHIM_MODULES["math"]})
    rng = _random.Random(seed)
    rand_shim = SimpleNamespace(**{n: getattr(rng, n) for n in SHIM_MODULES["random"]})
    re_shim = SimpleNamespace(**{n: getattr(re, n) for n in SHIM_MODULES["re"]})
    coll_shim = SimpleNamespace(**{n: getattr(collections, n) for n in SHIM_MODULES["collections"]})
    return {"time": time_shim, "math": math_shim, "random": rand_shim, "re": re_shim, "collections": coll_shim}


def _loop(sim: Sim):
    step = sim.budget.step

    def metered(iterable):
        for item in iterable:
            step()
            yield item

    return metered


def _program_line(exc: BaseException) -> int | None:
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<program>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _fmt_call(name: str, args: tuple) -> str:
    return f"{name}({', '.join(repr(a)[:80] for a in args)})"


def _classify(exc: BaseException, sim: Sim) -> tuple[str, str, int | None]:
    line = _program_line(exc)
    if isinstance(exc, RobotError):
        return exc.kind, exc.message, (sim.trace[-1][2] if sim.trace else line) or line
    if isinstance(exc, StepBudgetExceeded):
        return "StepBudgetExceeded", str(exc), line
    if isinstance(exc, SandboxViolation):
        return "SandboxError", str(exc), line
    if isinstance(exc, MemoryError):
        return "SandboxError", "memory limit exceeded", line
    if isinstance(exc, RecursionError):
        return "PythonError", "RecursionError: maximum recursion depth exceeded", line
    text = str(exc)
    return "PythonError", f"{type(exc).__name__}: {text}" if text else type(exc).__name__, line


def explore(source: str, domain: Domain | str | None = None, *, seed: int = 0, paths: int = DEFAULT_PATHS,
            dfs_paths: int = DEFAULT_DFS_PATHS, step_limit: int = DEFAULT_STEP_LIMIT,
            fairness: int = 3, entry: str = "task_program") -> Verdict:
    dom = load_domain(domain)
    checked = _CACHE.get(source, dom, entry)
    if isinstance(checked, ProgramRejected):
        return Verdict(False, checked.kind, checked.message, checked.line, 0, False)
    if not hasattr(checked, "rooms"):  # static facts, computed once per compiled program
        checked.rooms = room_configs(checked.tree, dom)
        checked.kinds = static_kinds(checked.tree, dom)
    sim = Sim(dom, checked.rooms, step_limit=step_limit, fairness=fairness, known_kinds=checked.kinds)
    base = {"__builtins__": _builtins(sim), **sim.api, "__step__": sim.budget.step,
            "__loop__": _loop(sim), "__format__": safe_format}
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
        env = dict(base)
        sim.shims = _shims(sim, seed)
        env.update(sim.shims)
        count += 1
        failure = None
        try:
            exec(checked.code, env)
            env[entry]()
            if sim.budget.n > sim.budget.limit:  # the stop was swallowed somehow: still a stop
                raise StepBudgetExceeded(f"step budget of {step_limit} exceeded")
        except BaseException as exc:  # noqa: BLE001 - everything a program raises is a verdict
            failure = _classify(exc, sim)
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
