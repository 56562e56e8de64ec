"""RoboSim's world: three-valued literals grown on demand, plus the kinds of names.

A literal is a key `(pred, args)` with args canonical names. Absent from `facts` means
*unknown*; the engine decides unknowns with choice points (queries) or angelically
(preconditions) and then keeps them. Nothing here is domain-specific: which literals
forget themselves when time passes comes from the domain's `moves` kinds.
"""

from __future__ import annotations

from ..domain import Domain
from ..sandbox import RobotError


def canon(name: str) -> str:
    """Names are compared case- and whitespace-insensitively ('Living  Room' == 'living room')."""
    return " ".join(name.lower().split())


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


class World:
    __slots__ = ("domain", "facts", "kinds", "kind_lines", "here", "here_name", "clock",
                 "absent_streak", "movers", "generic")

    def __init__(self, domain: Domain, known_kinds: dict[str, tuple[str, int]] | None = None):
        self.domain = domain
        self.facts: dict[tuple, bool] = {}
        self.kinds: dict[str, str] = {}
        self.kind_lines: dict[str, int] = {}
        self.here = domain.start_location
        self.here_name = domain.start_location
        self.clock = 0.0
        # consecutive "not here" observations of a moving literal: drives fairness
        self.absent_streak: dict[tuple, int] = {}
        # kinds whose members (or possible members) move
        self.movers = {k for k in domain.kinds if self._may_move(k)}
        self.generic = {k.generic: k.name for k in domain.kinds.values() if k.generic}
        self.kinds[self.here] = "location"
        for alias, (kind, _generic) in domain.alias_of.items():
            self.kinds[alias] = kind
        for name, (kind, line) in (known_kinds or {}).items():
            self.kinds.setdefault(name, kind)
            self.kind_lines.setdefault(name, line)

    def _may_move(self, kind: str) -> bool:
        k = self.domain.kinds[kind]
        return k.moves or any(self._may_move(i) for i in k.includes)

    # -- names and kinds -------------------------------------------------
    def resolve(self, name: str, kind: str | None = None) -> str:
        """Canonical name; aliases of a generic member ('someone', '') map to it ('person')
        where the parameter can denote that member's kind."""
        c = canon(name)
        alias = self.domain.alias_of.get(c)
        if alias and (kind is None or self.domain.is_subkind(alias[0], kind)):
            return alias[1]
        return c

    def assert_kind(self, name: str, kind: str, line: int | None) -> None:
        cur = self.kinds.get(name)
        if cur is None or cur == kind:
            self.kinds[name] = kind
            self.kind_lines.setdefault(name, line or 0)
            return
        dom = self.domain
        if dom.is_subkind(kind, cur):  # refine: a 'thing' turns out to be an object
            self.kinds[name] = kind
            self.kind_lines[name] = line or 0
            return
        if dom.is_subkind(cur, kind):
            return
        where = self.kind_lines.get(name)
        first = f" (line {where})" if where else ""
        raise RobotError(f"{name!r} is used as {_a(cur)}{first} and as {_a(kind)} here; a name keeps one kind")

    # -- literals ----------------------------------------------------------
    def is_moving(self, key: tuple) -> bool:
        movers = self.movers
        kinds = self.kinds
        return any(kinds.get(a) in movers for a in key[1])

    def get(self, key: tuple) -> bool | None:
        val = self.facts.get(key)
        if val is not None:
            return val
        if self.domain.predicates[key[0]].closed:
            return False
        return self._implied(key)

    def _implied(self, key: tuple) -> bool | None:
        """Generic members: 'nobody here' makes each person absent; any person makes 'somebody' present."""
        if not self.generic:
            return None
        pred, args = key
        for i, a in enumerate(args):
            kind = self.kinds.get(a)
            if a in self.generic:
                for k2, v in self.facts.items():
                    if v and k2[0] == pred and len(k2[1]) == len(args) and k2[1][i] != a \
                            and self.kinds.get(k2[1][i]) == self.generic[a] \
                            and all(k2[1][j] == args[j] for j in range(len(args)) if j != i):
                        return True
            elif kind in self.generic.values():
                gen = next(g for g, k in self.generic.items() if k == kind)
                gkey = (pred, args[:i] + (gen,) + args[i + 1:])
                if self.facts.get(gkey) is False:
                    return False
        return None

    def set(self, key: tuple, value: bool | None) -> None:
        if value is None:
            self.facts.pop(key, None)
            return
        self.facts[key] = value
        if value and self.generic:
            args = key[1]
            for i, a in enumerate(args):
                kind = self.kinds.get(a)
                for gen, gkind in self.generic.items():
                    if kind == gkind and a != gen:
                        self.facts[(key[0], args[:i] + (gen,) + args[i + 1:])] = True

    def time_passes(self) -> None:
        """People move, objects don't: forget every literal about something that may move."""
        for key in [k for k in self.facts if self.is_moving(k)]:
            del self.facts[key]

    def move(self, location: str, display: str) -> None:
        if location != self.here:
            self.time_passes()
        self.here = location
        self.here_name = display

    def describe(self) -> list[str]:
        """The known world as readable lines (for counterexamples)."""
        out = [f"robot at {self.here!r}"]
        for (pred, args), v in sorted(self.facts.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            out.append(f"{'' if v else 'not '}{pred}({', '.join(args)})")
        kinds = ", ".join(f"{n!r}: {k}" for n, k in sorted(self.kinds.items())
                          if n not in self.domain.alias_of)
        if kinds:
            out.append(f"kinds: {kinds}")
        return out
