"""The parent's half of a verification: the verdict re-derived from a child's record, in trusted code.

The child ran the program beside its simulator and returned only data (robosim.record): per path the
API calls, in order, with what each returned, and how the path ended. Here, in a process that never ran
the program, the same path schedule (`choices.Schedule`) drives a fresh `Sim` for the same program
(its rooms and static kinds read from the source here, never from the child): each recorded call is
made again with the recorded arguments, and the API's semantics decide. So:

- a call the API refuses (a failed precondition, a kind clash, a type error) ends the path with *this*
  side's robot error, whatever the child said about it;
- a call that returns something other than what the child recorded means the child's simulator was
  not the API's (tampered with): the record is refused, a crash of that job;
- an error the child reports that the replay cannot reproduce (a Python error in the program, a step
  budget stop, a robot error from a recursion or memory limit) is taken as reported: a record can
  always make its own program invalid, never valid;
- the number of paths and whether the tree was exhausted follow from the schedule here; a record that
  stops early without a failure, or names a function the domain does not have, is refused.

What the record cannot prove is the program's own control flow between calls: a child in full control
of its process could report calls its program never made. The replay makes the simulator's answers,
the path schedule and the verdict rule the parent's; the OS layer and the Python layer keep the
program from taking over its process in the first place (see ARCHITECTURE.md, the trust boundary).
"""

from __future__ import annotations

import ast

from ..domain import Domain
from ..sandbox import RobotError
from ..sandbox.execution import classify
from .api import Sim
from .choices import Chooser, Schedule
from .explore import counterexample
from .record import decode
from .rooms import static_facts
from .verdict import ERROR_KINDS, Verdict

MESSAGE_LIMIT = 4000


class RecordRefused(Exception):
    """The record is not one an honest child of this program can have written."""


def _end(end) -> tuple[str, str, int | None]:
    if not (type(end) is list and len(end) == 3 and end[0] in ERROR_KINDS and type(end[1]) is str
            and (end[2] is None or type(end[2]) is int)):
        raise RecordRefused("a path's end is not [error kind, message, line]")
    return end[0], end[1][:MESSAGE_LIMIT], end[2]


def _line(value) -> int | None:
    if value is not None and type(value) is not int:
        raise RecordRefused("a call's line is not a number")
    return value


def replay_path(sim: Sim, path: dict) -> tuple[str, str, int | None] | None:
    """Make the path's calls again on `sim` (reset for this path); how the path ends, as the API decides."""
    functions = sim.domain.functions
    calls = path["calls"]
    for k, call in enumerate(calls):
        if type(call) is not list or len(call) not in (3, 4) or type(call[1]) is not list:
            raise RecordRefused("a call is not [name, args, line(, result)]")
        name, line, last = call[0], _line(call[2]), k == len(calls) - 1
        try:
            args = tuple(decode(a) for a in call[1])
        except ValueError:
            raise RecordRefused("a call's arguments are not encoded values") from None
        if name == "time.sleep":
            if len(args) != 1 or type(args[0]) not in (int, float):
                raise RecordRefused("a sleep is not [\"time.sleep\", [seconds], line]")
            sim.sleep(args[0])
            continue
        fn = functions.get(name) if type(name) is str else None
        if fn is None or len(args) != len(fn.params):
            raise RecordRefused(f"a call to {str(name)[:40]!r} with {len(args)} arguments is not in the domain")
        if len(sim.trace) < sim.trace_limit:
            sim.trace.append((name, args, line))
        try:
            got = sim._run(fn, args, line)
        except RobotError as e:
            kind, message, _ = classify(e)
            return kind, message, line  # the API's own verdict on this call
        if len(call) == 3:  # the child says the call raised, the API does not: only its own end can follow
            if not last or path["end"] is None:
                raise RecordRefused(f"{name}() raised in the record and not in the replay")
            break
        if call[3] != got or type(call[3]) is not type(got):
            raise RecordRefused(f"{name}() returned {call[3]!r:.60} in the record, {got!r:.60} in the replay")
    return None if path["end"] is None else _end(path["end"])


def check_path(path, step_limit: int) -> None:
    if not (type(path) is dict and set(path) == {"calls", "end", "steps", "output", "choices"}
            and type(path["calls"]) is list and type(path["steps"]) is int and type(path["output"]) is str
            and type(path["choices"]) is list and all(type(c) is int and c >= 0 for c in path["choices"])):
        raise RecordRefused("a path is not {calls, end, steps, output, choices}")
    if len(path["calls"]) > step_limit:  # every call and sleep took a step: no honest path has more
        raise RecordRefused(f"a path of {len(path['calls'])} calls, over the step limit of {step_limit}")


def program_facts(source: str, domain: Domain) -> tuple | None:
    """The program's rooms and static kinds, read here from its source (None: it does not parse)."""
    try:
        return static_facts(ast.parse(source, "<program>"), domain)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def judge(facts: tuple | None, domain: Domain, record, *, seed: int, paths: int, dfs_paths: int, step_limit: int,
          fairness: int, strict: bool, observe=None) -> Verdict:
    """The verdict on a program (`facts`: `program_facts` of its source) from the child's record of one
    exploration (raises RecordRefused). `observe(calls)`, when given, sees every path that replayed without
    a failure — its calls `[name, args, line, result]`, each result now the API's own — so a caller can
    judge what the program does (quality.plan_trace) on trusted data, never on the child's word."""
    if type(record) is not dict or set(record) != {"rejected", "paths"} or type(record["paths"]) is not list:
        raise RecordRefused("not a record of an exploration")
    if record["rejected"] is not None:  # the static check refused it: the child's word suffices to reject
        kind, message, line = _end(record["rejected"])
        return Verdict(False, kind, message, line, 0, False)
    if facts is None:
        raise RecordRefused("a program that does not parse was explored")
    rooms, kinds = facts
    sim = Sim(domain, rooms, step_limit=step_limit, fairness=fairness, known_kinds=kinds, strict=strict)
    sim.budget.limit = float("inf")  # the child counted steps; here nothing runs but the API's semantics
    recorded, max_steps = record["paths"], 0
    for path in recorded:
        check_path(path, step_limit)
        max_steps = max(max_steps, path["steps"])
    if recorded and recorded[-1]["end"] is not None and len(recorded) <= paths:
        # The child says its program fails on its last path: a record can always make its own program
        # invalid. Only that path is replayed (its choices as recorded: paths are independent), so that the
        # error and the counterexample are the API's, from this side, and a tampered answer is refused.
        path = recorded[-1]
        sim.reset(Chooser(path["choices"]))
        kind, message, line = replay_path(sim, path) or ("SandboxError", "the failing path does not fail", None)
        return Verdict(False, kind, message, line, len(recorded), False, counterexample(sim, path["output"]),
                       {"max_steps": max_steps})
    schedule = Schedule(paths, dfs_paths, seed)
    for chooser in schedule:
        if schedule.count > len(recorded):
            raise RecordRefused(f"the record stops after {len(recorded)} paths without a failure")
        path = recorded[schedule.count - 1]
        sim.reset(chooser)
        failure = replay_path(sim, path)
        if failure is None and observe is not None:
            observe(path["calls"])
        if failure is not None:
            kind, message, line = failure
            return Verdict(False, kind, message, line, schedule.count, False, counterexample(sim, path["output"]),
                           {"max_steps": max_steps})
    if len(recorded) != schedule.count:
        raise RecordRefused(f"the record has {len(recorded)} paths, the exploration {schedule.count}")
    return Verdict(True, paths=schedule.count, exhaustive=schedule.exhausted, stats={"max_steps": max_steps})
