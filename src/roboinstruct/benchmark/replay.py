"""The parent's half of an evaluation: each state's trace re-derived from a child's record, in trusted code.

The child ran the program on each state beside a `ConcreteSim` and returned only data
(`evaluate.record_program`): per state the calls it made, with what each returned, what it printed
(roboeval mode: RoboEval's trace is printed text), and how its run ended. Here, in a process that never
ran the program, each call is made again on a fresh simulator of that state's world; the trace the
checks read is the one *this* simulator recorded, and the checks and RoboEval's verdict rule run here
(`evaluate.judge_states`). So:

- the trace's elements are this side's own API lines: what the child says its program printed can cut
  the trace where RoboEval's would be cut, never add an element (`trace.parse_output`), so neither a
  printed trace line nor a line break inside a said message scores (a child that leaves a print out of
  its record gets the longer, still honest, trace of its calls);

- a call the API refuses ends the state with this side's robot error (our suite), whatever the child
  said; in roboeval mode, where robot errors are exceptions a program may catch, the call must have
  raised in the record too;
- a call that returns something other than what the child recorded means the child's simulator was
  tampered with: the record is refused, a crash of that row;
- an end the child reports that the replay cannot reproduce (a Python error, a robot error from a
  recursion or memory limit, a step-budget stop) is taken as reported.

What the record cannot prove is the program's own control flow between calls (which calls it made);
see robosim.replay and ARCHITECTURE.md's trust boundary. A reported step-budget stop is taken as
reported too: on a state that expects the program not to terminate it is the expected end, and the
trace must still pass that state's checks.
"""

from __future__ import annotations

from ..robosim.record import decode
from ..robosim.verdict import ERROR_KINDS
from ..sandbox import RobotError
from .model import State
from .simulator import ROBOEVAL_PARAMS, ConcreteSim

MESSAGE_LIMIT = 4000
EVENTS_PER_STEP = 3  # a call, a print in the same step, the room list changed before it


class RecordRefused(Exception):
    """The record is not one an honest child of this program can have written."""


def _end(end) -> tuple[str, str, int | None] | None:
    if end is None:
        return None
    if not (type(end) is list and len(end) == 3 and end[0] in ERROR_KINDS and type(end[1]) is str
            and (end[2] is None or type(end[2]) is int)):
        raise RecordRefused("a state's end is not [error kind, message, line]")
    return end[0], end[1][:MESSAGE_LIMIT], end[2]


def _args(event) -> tuple:
    if type(event) is not list or len(event) not in (2, 3) or type(event[0]) is not str or type(event[1]) is not list:
        raise RecordRefused("an event is not [name, args(, result)]")
    try:
        return tuple(decode(a) for a in event[1])
    except ValueError:
        raise RecordRefused("an event's arguments are not encoded values") from None


def replay_state(sim: ConcreteSim, state: State, record) -> tuple[tuple | None, list]:
    """(how the run ended, the trace) for one state, from the child's record of it."""
    if type(record) is not dict or set(record) != {"calls", "end"} or type(record["calls"]) is not list:
        raise RecordRefused("a state's record is not {calls, end}")
    if len(record["calls"]) > EVENTS_PER_STEP * sim.budget.limit:  # calls and prints each take a step
        raise RecordRefused(f"a state of {len(record['calls'])} events, over what its step limit allows")
    end = _end(record["end"])
    sim.reset(state.world)
    calls = record["calls"]
    for k, event in enumerate(calls):
        args, name, last = _args(event), event[0], k == len(calls) - 1
        if name in ("print", "locations"):
            if not sim.roboeval or len(args) != 1 or len(event) != 2 \
                    or type(args[0]) is not (str if name == "print" else list):
                raise RecordRefused(f"a {name!r} event where there can be none")
            if name == "print":  # the program's own text: it can cut this trace, never add to it
                sim._emit(args[0], program=True)
            else:
                sim.world.locations = args[0]
            continue
        params = ROBOEVAL_PARAMS.get(name)
        if params is None or len(args) != len(params):
            raise RecordRefused(f"a call to {name[:40]!r} with {len(args)} arguments is not in the API")
        sim.program_error = None
        try:
            got = getattr(sim, "_" + name)(*args)
        except RobotError as e:  # our suite: a robot error ends the run, as the API decides here
            return ("RobotExecutionError", e.message, end[2] if end else None), sim.trace()
        except Exception as e:  # noqa: BLE001 - what the child's simulator did with the same call decides
            if len(event) == 2 and (e is sim.program_error or (last and end is not None)):
                continue  # raised there too: a catchable robot error (roboeval mode), or the child's end follows
            raise RecordRefused(f"{name}() raised {type(e).__name__} in the replay, not in the record") from None
        if len(event) == 2:  # the child says it raised, the API does not: only the child's own end can follow
            if not last or end is None:
                raise RecordRefused(f"{name}() raised in the record and not in the replay")
            break
        try:
            recorded = decode(event[2])
        except ValueError:
            raise RecordRefused("a call's result is not an encoded value") from None
        if recorded != got or type(recorded) is not type(got):
            raise RecordRefused(f"{name}() returned {recorded!r:.60} in the record, {got!r:.60} in the replay")
    return end, sim.trace()


def replay_states(sim: ConcreteSim, states: list[State], records) -> list[tuple]:
    if type(records) is not list or len(records) != len(states):
        raise RecordRefused("not one record per state")
    return [replay_state(sim, s, r) for s, r in zip(states, records)]
