"""The concrete simulator: RoboEval's API semantics over a `World`, as an execution Host.

Programs run through roboinstruct.execution (the same sandboxed executor RoboSim uses);
this module only supplies the eight API callables and records the trace.

Two modes, because RoboEval's evaluator has observable quirks we must reproduce when
scoring its official tasks (`roboeval=True`) but not in our own suite:
- recording: RoboEval prints one line per call and parses stdout back, so a value with a
  line break, or the program's own print(), cuts the trace. In roboeval mode we write the
  same text and parse it the same way, keeping apart what the API wrote and what the program
  printed: printed text (or a second line inside a value) cuts the trace as it does there, but
  never becomes an element (trace.parse_output), so a program cannot print itself a trace;
  otherwise we record true values.
- errors: RoboEval's robot errors are ordinary exceptions a program can catch, and are
  told apart from Python errors only by "Robot" in the message; we raise exactly those in
  roboeval mode. In our suite robot errors are `RobotError`, which a program cannot catch.
"""

from __future__ import annotations

from collections import Counter

from ..robosim.record import encode, shown
from ..sandbox import Host, RobotError, api_callable
from .checks import _rx
from .trace import Element, line, parse_output
from .world import World

OUTPUT_CAP = 1_000_000  # RoboEval's bounded subprocess keeps at most this much stdout
TRACE_CAP = 20_000

# RoboEval's parameter names (keyword calls must bind exactly as against its Robot class)
ROBOEVAL_PARAMS = {"get_current_location": (), "get_all_rooms": (), "is_in_room": ("entity",),
                   "go_to": ("location",), "ask": ("person", "question", "options"),
                   "say": ("message",), "pick": ("obj",), "place": ("obj",)}


def _match(pattern: str, value: object) -> bool:
    return _rx(pattern).search(str(value)) is not None


class ConcreteSim(Host):
    def __init__(self, roboeval: bool = False, step_limit: int = 5000, params: dict | None = None,
                 record: bool = False):
        super().__init__(step_limit)
        self.roboeval = roboeval
        # record: keep what the program did as data for the parent's replay (benchmark.replay): every
        # call `[name, args(, result)]` (no result: it raised), in roboeval mode its prints `["print",
        # [text]]` and the room list it was handed, when it changed it `["locations", [rooms]]`
        self.record = record
        self.calls: list[list] = []
        params = params or ROBOEVAL_PARAMS
        self.api = {name: self._make(name, params[name], getattr(self, "_" + name)) for name in ROBOEVAL_PARAMS}
        self.reset(World(["start"], robot="start"))

    def reset(self, world: World) -> None:
        self.world = world.fresh()
        self.holding: str | None = None
        self.elements: list[Element] = []
        self.text: list[tuple[str, bool]] = []  # roboeval mode: (chunk, written by the API)
        self.text_size = 0
        self.checks: Counter = Counter()  # is_in_room calls per location (arrivals)
        self.clock = 0.0
        self.calls = []
        self.handed: list | None = None  # roboeval mode: the rooms as last handed to (and seen by) the program

    # -- recording -----------------------------------------------------------------
    def write(self, text: str) -> None:  # the program's print(): same stream as the trace in roboeval mode
        super().write(text)
        if self.roboeval:
            self._emit(text, program=True)

    def _emit(self, text: str, program: bool = False) -> None:
        room = OUTPUT_CAP - self.text_size
        if room > 0 and program and self.record:
            self.calls.append(["print", [text[:room]]])
        if room > 0:
            self.text.append((text[:room], not program))
            self.text_size += min(len(text), room)

    def _record(self, kind: str, value: object, options: object = None) -> None:
        if self.roboeval:
            self._emit(line(kind, value, options) + "\n")
        elif len(self.elements) < TRACE_CAP:
            self.elements.append(Element(kind, value, list(options) if options is not None else None))

    def trace(self) -> list[Element]:
        return parse_output(self.text) if self.roboeval else list(self.elements)

    # -- errors ----------------------------------------------------------------------
    def _fail(self, tag: str, roboeval_msg: str, message: str):
        if self.roboeval:
            raise self._shown(Exception(f"{tag}: {roboeval_msg}"))
        raise RobotError(message)

    def _shown(self, exc: BaseException) -> BaseException:
        """RoboEval's robot errors are ordinary exceptions its programs can catch: mark this one as
        meant for the program (any other exception inside the API becomes a RobotError)."""
        self.program_error = exc
        return exc

    def _need_str(self, tag: str, fn: str, pname: str, value: object) -> None:
        if type(value) is not str:
            if self.roboeval:
                raise self._shown(TypeError(f"{tag}: {pname} must be a string"))
            raise RobotError(f"{fn}: {pname} must be a str, got {type(value).__name__} {shown(value):.60}")

    # -- API ---------------------------------------------------------------------------
    def _make(self, name: str, names: tuple, impl):
        step = self.budget.step

        def body(*args):
            step()
            if not self.record:
                return impl(*args)
            if self.handed is not None and self.handed != self.world.locations:  # the program changed the map
                self.handed = list(self.world.locations)
                self.calls.append(["locations", [encode(self.handed)]])
            entry = [name, [encode(a) for a in args]]
            self.calls.append(entry)
            result = impl(*args)
            entry.append(encode(result))
            if name == "get_all_rooms" and self.roboeval:
                self.handed = list(result)
            return result

        return api_callable(self, name, names, body)

    def _get_current_location(self) -> str:
        return self.world.robot

    def _get_all_rooms(self) -> list:
        # RoboEval hands out its own list: a program that mutates it changes the map
        return self.world.locations if self.roboeval else list(self.world.locations)

    def _present(self, loc: str):
        seen = self.checks[loc]
        return [p for p in self.world.people.get(loc, ()) if seen > p.arrives_after or not p.arrives_after]

    def _is_in_room(self, entity) -> bool:
        self._need_str("RobotCheckEntityError", "is_in_room", "entity", entity)
        self._record("CheckEntity", entity)
        here = self.world.robot
        self.checks[here] += 1
        try:
            return any(_match(o, entity) for o in self.world.objects.get(here, ())) or \
                any(_match(p.name, entity) for p in self._present(here))
        except Exception:  # an invalid pattern (a placed label is the program's own string)
            self._fail("RobotCheckEntityError", "object_in_room or agent_in_room failed",
                       f"is_in_room: cannot match {entity!r}")

    def _go_to(self, location) -> None:
        self._need_str("RobotGoToError", "go_to", "location", location)
        self._record("GoTo", location)
        try:
            for loc in self.world.locations:
                if _match(loc, location):
                    self.world.robot = loc
                    return
        except Exception:
            pass
        self._fail("RobotGoToError", "update_robot_location failed",
                   f"go_to: there is no location {location!r} (locations: {', '.join(self.world.locations)})")

    def _ask(self, person, question, options) -> str:
        self._need_str("RobotAskError", "ask", "person", person)
        self._need_str("RobotAskError", "ask", "question", question)
        if type(options) is not list:
            if self.roboeval:
                raise self._shown(TypeError("RobotAskError: options must be a list"))
            raise RobotError(f"ask: options must be a list, got {type(options).__name__}")
        self._record("Ask", question, options)
        if len(options) < 1:
            self._fail("RobotAskError", "invalid options", "ask: options must not be empty")
        here = self.world.robot
        try:
            for p in self._present(here):
                if not _match(p.name, person):
                    continue
                ans = p.answers.pop(0) if len(p.answers) > 1 else p.answers[0]
                for option in options:
                    if _match(ans, option):
                        return option
                word = "yes" if _match(ans, question) else "no"
                for option in options:
                    if _match(word, option):
                        return option
        except Exception:
            pass
        self._fail("RobotAskError", "ask_agent failed",
                   f"ask: nobody matching {person!r} at {here!r} answers any of {shown(options):.80}")

    def _say(self, message) -> None:
        self._need_str("RobotSayError", "say", "message", message)
        self._record("Say", message)

    def _pick(self, obj) -> None:
        self._need_str("RobotPickError", "pick", "obj", obj)
        if self.holding is not None:
            self._fail("RobotPickError", f"Robot is already holding {self.holding}",
                       f"pick: cannot pick {obj!r}, already holding {self.holding!r}")
        here = self.world.robot
        objs = self.world.objects.get(here, [])
        try:
            idx = next((i for i, label in enumerate(objs) if _match(label, obj)), None)
        except Exception:
            idx = None
        if idx is None:
            self._fail("RobotPickError", "removeObject failed", f"pick: there is no {obj!r} at {here!r}")
        del objs[idx]
        self.holding = obj
        self._record("Pick", obj)

    def _place(self, obj) -> None:
        self._need_str("RobotPlaceError", "place", "obj", obj)
        if self.holding != obj:
            self._fail("RobotPlaceError", f"Robot is not holding {obj}",
                       f"place: not holding {obj!r} (holding {self.holding!r})")
        self.holding = None
        self.world.objects.setdefault(self.world.robot, []).append(obj)
        self._record("Place", obj)
