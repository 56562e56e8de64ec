"""`plan-place` and `plan-answer`: what a program *does* on RoboSim's paths, against its plan.

`plan-coverage` (quality.plans) reads the source: the program makes the plan's calls with the plan's
names. The blind readers' misses among covered programs were where and with what those calls are made:
the report said in the room the robot checked instead of back to the person who asked ("find out if
the library has a book and let me know"), the person looked for before going to the room, the fetch
picked up in the destination and put down in the store room, a "tell me what they say" that reports
"No" whatever the person chose. Those are facts of an execution, so they are judged on the paths the
verifier explored — in the parent, on the replayed record (robosim.replay `observe`): every call's
arguments and results there are the API's own, never the child's word.

A shape's calls say where each is made: after `go_to({room})` in the plan, in that room; after
`go_to(_)` (a loop over rooms), anywhere but the start; `say(_) @start`, back where the robot started,
which is where the requester is (RoboSim starts the robot there). `{answer}` is what the person asked
last chose: `pick({answer})` must pick that, `say({answer})` must say it.

`plan-contradiction`: a path on which the program saw a mover of the plan (a name of a kind that
`moves`, a person) in a room, then says it could not find them — the search that goes on after the
find and ends "I could not find John" (blind readers refused two such programs of one fresh run).
"""

from __future__ import annotations

import re

from .findings import Finding
from .plans import ANSWER, PlannedCall, normal, parse_call

# "could not find", "not found", "nowhere": a report that the search failed
NOT_FOUND = re.compile(r"\b(?:(?:could|did|can|ca|do|does|was|were|is)(?: ?not|n't)|cannot|unable to|failed to) "
                       r"(?:find|found|see|locate|spot)\b|\bnot (?:be )?(?:found|anywhere)\b|\bnowhere\b")
START = "the start"     # where the robot began: the requester's place
SOMEWHERE = "a room"    # after go_to(_): any room the loop went to, not the start


def _words(text) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", normal(str(text)))) + " "  # 'yes' is yes


class PlanTrace:
    """An observer for `verify_many(..., observers=[...])`: call it with each replayed path's calls;
    `finding` is then the first way a path departs from the plan (None: none does)."""

    def __init__(self, plan: dict, movers: tuple[str, ...] = ()):
        self.values = plan.get("values") or {}
        self.movers = {normal(m) for m in movers if isinstance(m, str) and m.strip()}
        self.texts = set(plan.get("texts") or ())
        self.calls: list[PlannedCall] = [parse_call(c) for c in plan.get("calls") or ()]
        self.where: list[str | None] = []  # per planned call, where it must be made (None: anywhere)
        room = None
        for c in self.calls:
            if c.function == "go_to" and not c.at_start:
                room = SOMEWHERE if c.args[:1] == (None,) else normal(self.values.get(c.args[0], ""))
                self.where.append(None)
            else:
                self.where.append(START if c.at_start else room)
        self.finding: Finding | None = None
        self.paths = 0

    @classmethod
    def for_plan(cls, plan: dict, domain) -> "PlanTrace":
        """The observer of a plan of `domain`: its movers are the names in slots of a kind that moves."""
        from .plans import domain_plans

        shape = next((s for s in domain_plans(domain).shapes if s.name == plan.get("shape")), None)
        values = plan.get("values") or {}
        return cls(plan, tuple(values[s.name] for s in (shape.slots if shape else ()) if s.name in values
                               and s.kind and getattr(domain.kinds.get(s.kind), "moves", False)))

    def _matches(self, planned: PlannedCall, args: list) -> bool:
        for slot, arg in zip(planned.args, args):
            if slot is None or slot == ANSWER:
                continue
            want = self.values.get(slot)
            if isinstance(want, list):
                if not isinstance(arg, list) or sorted(normal(x) for x in arg) != sorted(normal(x) for x in want):
                    return False
            elif slot in self.texts:
                if _words(want) not in _words(arg):
                    return False
            elif normal(str(arg)) != normal(str(want)):
                return False
        return True

    def _planned(self, name: str, args: list) -> list[int]:
        """The planned calls a made call may be: those with names that match it, else the `_` ones of its
        function (a plan that checks two rooms for one object has the same call twice, in two places)."""
        named = [i for i, c in enumerate(self.calls) if c.function == name and any(a and a != ANSWER for a in c.args)
                 and self._matches(c, args)]
        return named or [i for i, c in enumerate(self.calls) if c.function == name
                         and not any(a and a != ANSWER for a in c.args)]

    def __call__(self, calls: list) -> None:
        self.paths += 1
        if self.finding is None:
            self.finding = self.path_finding(calls)

    def path_finding(self, calls: list) -> Finding | None:
        here, went, starts, answer, asked_at, said_answer = START, False, set(), None, None, True
        seen: dict[str, str] = {}  # mover -> the room the program saw them in
        for call in calls:
            if not isinstance(call, list) or len(call) < 3 or call[0] == "time.sleep":
                continue
            name, args, line = call[0], call[1], call[2]
            result = call[3] if len(call) > 3 else None
            if name == "is_in_room" and args and result is True and normal(str(args[0])) in self.movers:
                seen.setdefault(normal(str(args[0])), here)
            if name == "say" and args and seen and NOT_FOUND.search(normal(str(args[0]))):
                who = next((m for m in seen if _words(m) in _words(args[0])), None)
                if who is not None:
                    return Finding("plan-contradiction", f"{_show(name, args)} after the program found {who!r} "
                                                         f"{_at(seen[who])}", line)
            if name == "get_current_location" and here == START and isinstance(result, str):
                starts.add(normal(result))
            elif name == "go_to" and args:
                dest = normal(str(args[0]))
                here, went = (START if dest in starts else dest), True
            candidates = self._planned(name, args)
            if candidates:
                fits = [i for i in candidates if self.where[i] in (None, here) or self.where[i] == SOMEWHERE and went]
                if not fits:
                    return Finding("plan-place", f"{_show(name, args)} is made {_at(here)}; the request has it "
                                                 f"{_at(self.where[candidates[0]])}", line)
                planned = self.calls[fits[0]]
                if ANSWER in planned.args and answer is not None:
                    arg = args[planned.args.index(ANSWER)] if len(args) > planned.args.index(ANSWER) else None
                    if name == "say":
                        said_answer = said_answer or _words(answer) in _words(arg)
                    elif normal(str(arg)) != answer:
                        return Finding("plan-answer", f"{_show(name, args)} after the person chose {answer!r}",
                                       line)
            if name == "ask" and isinstance(result, str):
                answer, asked_at = normal(result), line
                said_answer = not any(c.function == "say" and ANSWER in c.args for c in self.calls)
        if not said_answer:
            return Finding("plan-answer", f"the person chose {answer!r} (ask, line {asked_at}) and the program never "
                                          f"says it", asked_at)
        return None


def _show(name: str, args: list) -> str:
    return f"{name}({', '.join(repr(a) if not isinstance(a, str) or len(a) < 50 else repr(a[:47] + '...') for a in args)})"


def _at(where: str) -> str:
    if where == START:
        return "back where the request was given (the start)"
    if where == SOMEWHERE:
        return "in one of the rooms it goes through"
    return f"in {where!r}"
