"""RoboSim's API semantics: each domain function becomes a Python callable over a World.

The callables interpret the domain declaration (params, requires, effects, returns); no
function of any particular robot is written here. Per path the same callables are reused
and `Sim.reset` swaps in a fresh World and Chooser, which keeps a path cheap.

Decisions, and why:
- A precondition on an unknown literal is assumed true (angelic execution): the world is
  whatever lets the program run, unless the program itself observed otherwise.
- A query on an unknown literal is a choice point (False first: absent objects and people
  are where programs break).
- Fairness: a moving literal seen false `fairness` times in a row is seen true next, and a
  person asked the same question at the same place `fairness` times with the same answer
  gives another answer next, so waiting/re-asking loops terminate on every path.
"""

from __future__ import annotations

import sys

from ..domain import Domain, Function, Literal
from ..sandbox import Host, RobotError, api_callable
from .choices import Chooser
from .record import encode, shown, typename
from .world import World

# Strict failures carry their rule in the message: "[strict:RULE] why".
STRICT_PREFIX = "[strict:{rule}] "
_PY_TYPES = {"str": str, "int": int, "float": (int, float), "bool": bool}


def _caller_line() -> int | None:
    # The API callable is called from program code: walk up to the program's frame.
    f = sys._getframe(2)
    while f is not None and f.f_code.co_filename != "<program>":
        f = f.f_back
    return f.f_lineno if f is not None else None


def _typename(v: object) -> str:
    return typename(v)


def check_type(fn: str, pname: str, ptype: str, value: object) -> None:
    if ptype.startswith("list["):
        inner = _PY_TYPES[ptype[5:-1]]
        if not isinstance(value, list):
            raise RobotError(f"{fn}: argument {pname!r} must be a {ptype}, got {_typename(value)} {shown(value):.60}")
        for item in value:
            if not isinstance(item, inner) or isinstance(item, bool) and inner is not bool:
                raise RobotError(f"{fn}: every item of {pname!r} must be {ptype[5:-1]}, got {_typename(item)} "
                                 f"{shown(item):.60}")
        return
    if ptype == "None":
        return
    want = _PY_TYPES[ptype]
    if not isinstance(value, want) or (isinstance(value, bool) and ptype not in ("bool",)):
        raise RobotError(f"{fn}: argument {pname!r} must be a {ptype}, got {_typename(value)} {shown(value):.60}")


class Sim(Host):
    """One program's simulator: API callables plus the per-path world, chooser, trace."""

    def __init__(self, domain: Domain, rooms_configs: list[list[str]], step_limit: int = 5000,
                 fairness: int = 3, trace_limit: int = 400, known_kinds: dict | None = None, strict: bool = False,
                 record: bool = False):
        super().__init__(step_limit)
        # record: keep every call and sleep of a path as data (robosim.record), for the parent's replay
        self.record = record
        self.calls: list[list] = []
        self.domain = domain
        # strict: the meaning checks this project adds on top of the paper's RoboSim (quality.rules):
        # names whose head noun gives another kind away, and `strict` requirements not assumed angelically
        self.strict = strict
        self.known_kinds = known_kinds or {}
        self.rooms_configs = rooms_configs
        self.step_limit = step_limit
        self.fairness = fairness
        self.trace_limit = trace_limit
        self.api = {fn.name: self._make(fn) for fn in domain.functions.values()}
        self.reset(Chooser())

    def reset(self, chooser: Chooser) -> None:
        self.world = World(self.domain, self.known_kinds)
        self.clock = 0.0
        self.chooser = chooser
        self.trace: list[tuple[str, tuple, int | None]] = []
        self.rooms: list[str] | None = None
        self.ask_streak: dict[tuple, tuple[str, int]] = {}
        self.moved = False  # strict: has the robot gone anywhere on this path
        self.calls = []

    # -- time, used by the `time` shim -------------------------------------
    def sleep(self, seconds: float = 0) -> None:
        super().sleep(seconds)
        if self.record:
            self.calls.append(["time.sleep", [seconds], None])
        self.world.clock = self.clock
        self.world.time_passes()

    # -- building callables ------------------------------------------------
    def _make(self, fn: Function):
        sim = self

        def body(*args):
            line = _caller_line()
            sim.budget.step()
            if len(sim.trace) < sim.trace_limit:
                sim.trace.append((fn.name, args, line))
            if not sim.record:
                return sim._run(fn, args, line)
            entry = [fn.name, [encode(a) for a in args], line]
            sim.calls.append(entry)
            result = sim._run(fn, args, line)
            entry.append(list(result) if type(result) is list else result)
            return result

        api_call = api_callable(self, fn.name, [p.name for p in fn.params], body)
        api_call.__doc__ = fn.doc
        return api_call

    def _run(self, fn: Function, args: tuple, line: int | None):
        world = self.world
        env: dict[str, object] = {}
        raw: dict[str, object] = {}
        for p, v in zip(fn.params, args):
            check_type(fn.name, p.name, p.type, v)
            if p.nonempty and len(v) == 0:
                raise RobotError(f"{fn.name}: argument {p.name!r} must not be empty")
            raw[p.name] = v
            if p.kind is not None:
                name = world.resolve(v, p.kind)
                if not name:
                    raise RobotError(f"{fn.name}: argument {p.name!r} must name a {p.kind}, got an empty string")
                world.assert_kind(name, p.kind, line)
                if self.strict:
                    self._strict_kind(fn, p, v)
                env[p.name] = name
            else:
                env[p.name] = v
        for req in fn.requires:
            self._require(fn, req, env, raw)
        for eff in fn.effects:
            if isinstance(eff, tuple):  # ("move", param)
                world.move(env[eff[1]], raw[eff[1]])
                self.moved = True
            else:
                self._effect(eff, env)
        return self._return(fn, env, raw)

    def _key(self, lit: Literal, env: dict) -> tuple:
        here = self.world.here
        return (lit.pred, tuple(here if a == "here" else env[a] for a in lit.args))

    def _require(self, fn: Function, req, env: dict, raw: dict) -> None:
        lit = req.literal
        world = self.world
        if "*" in lit.args:  # "not pred(*)": no instance may be known true
            for key, v in world.facts.items():
                if v and key[0] == lit.pred:
                    self._fail(req.error, raw, key)
            return
        key = self._key(lit, env)
        val = world.get(key)
        want = lit.mode == "true"
        if val is None:
            if self.strict and req.strict and want and not self.moved and not self._is_user(raw):
                self._fail(STRICT_PREFIX.format(rule="ask-presence") + req.strict, raw, None)
            world.set(key, want)  # angelic: the world is what the program needs
        elif val != want:
            self._fail(req.error, raw, None)

    def _strict_kind(self, fn: Function, p, value: str) -> None:
        """A literal whose head noun names another kind: a room asked as a person, a desk gone to."""
        said = self.domain.vocabulary.head_kind(value)
        if said is None or said == p.kind or self.domain.is_subkind(said, p.kind):
            return
        raise RobotError(STRICT_PREFIX.format(rule="entity-kind") +
                         f"{fn.name}: argument {p.name!r} must name {_a(p.kind)}, but {value!r} names {_a(said)}")

    def _is_user(self, raw: dict) -> bool:
        # the person giving the instruction is where the robot starts
        return any(isinstance(v, str) and v.strip().lower() in self.domain.vocabulary.user for v in raw.values())

    def _fail(self, template: str, raw: dict, witness: tuple | None):
        fields = {k: v for k, v in raw.items()}
        fields["here"] = self.world.here_name
        for key, v in self.world.facts.items():
            if v:
                fields.setdefault(key[0], ", ".join(key[1]))
        if witness is not None:
            fields[witness[0]] = ", ".join(witness[1])
        try:
            msg = template.format_map(_Fields(fields))
        except (KeyError, IndexError, ValueError, AttributeError):
            msg = template
        raise RobotError(msg)

    def _effect(self, lit: Literal, env: dict) -> None:
        key = self._key(lit, env)
        self.world.set(key, None if lit.mode == "unknown" else lit.mode == "true")
        self.world.absent_streak.pop(key, None)

    def _return(self, fn: Function, env: dict, raw: dict):
        kind = fn.returns
        if kind == "none":
            return None
        if kind == "here":
            return self.world.here_name
        if kind == "rooms":
            return list(self._rooms())
        if isinstance(kind, Literal):
            return self._query(fn, self._key(kind, env))
        # "choose <param>"
        options = raw[kind[7:].strip()]
        return self._choose_answer(fn, env, options)

    def _rooms(self) -> list[str]:
        if self.rooms is None:
            configs = self.rooms_configs
            i = self.chooser.choose(len(configs), ("rooms",)) if len(configs) > 1 else 0
            self.rooms = configs[i]
            for r in self.rooms:
                self.world.assert_kind(self.world.resolve(r), "location", None)
        return self.rooms

    def _query(self, fn: Function, key: tuple) -> bool:
        world = self.world
        val = world.get(key)
        moving = world.is_moving(key)
        if val is False and moving:
            val = None  # polling again at the same place: time passes for this literal
            world.facts.pop(key, None)
        if val is None:
            streak = world.absent_streak.get(key, 0) if moving else 0
            if moving and streak >= self.fairness:
                val = True  # fairness: whoever is awaited eventually shows up
            else:
                val = self.chooser.choose(2, ("query", fn.name, key)) == 1
            world.set(key, val)
        if moving:
            world.absent_streak[key] = 0 if val else world.absent_streak.get(key, 0) + 1
        return val

    def _choose_answer(self, fn: Function, env: dict, options: list) -> str:
        key = (self.world.here,) + tuple(str(v) if not isinstance(v, list) else tuple(v) for v in env.values())
        last = self.ask_streak.get(key)
        allowed = list(range(len(options)))
        if last is not None and last[1] >= self.fairness and len(options) > 1:
            allowed = [i for i in allowed if options[i] != last[0]] or allowed
        i = allowed[self.chooser.choose(len(allowed), ("answer", fn.name, tuple(options)))] if len(allowed) > 1 else allowed[0]
        answer = options[i]
        self.ask_streak[key] = (answer, last[1] + 1 if last and last[0] == answer else 1)
        return answer

    def describe_choice(self, label: tuple, n: int, c: int) -> str:
        if label[0] == "rooms":
            return f"get_all_rooms() -> {self.rooms_configs[c]}"
        if label[0] == "query":
            _, name, (pred, args) = label
            return f"{name}: {pred}({', '.join(args)}) -> {bool(c)}"
        return f"{label[1]}: answer option {c + 1} of {n}"


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


class _Nothing:
    def __repr__(self) -> str:
        return "nothing"

    __str__ = __repr__


class _Fields(dict):
    """Message fields; a predicate with no true instance reads as 'nothing'."""

    def __missing__(self, key):
        return _Nothing()
