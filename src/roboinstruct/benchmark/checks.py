"""Trace check operators with RoboEval's meaning, for writing task checks.

`Trace` wraps a list of elements (anything with kind/value/options, or RoboEval-style
element_name/value1/value2). Sub-trace operators (after/before first/last) return the
trace unchanged when the anchor is absent — RoboEval's convention, kept so checks
ported from its task files mean the same thing. Matchers compare the element kind and
`re.search` a pattern (case-insensitive) against the value and, for Ask, any option.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def _rx(pattern: str):
    return re.compile(pattern, re.IGNORECASE)


def _fields(el) -> tuple:
    kind = getattr(el, "kind", None)
    if kind is None:  # a RoboEval TraceElement
        return el.element_name, el.value1, el.value2
    return kind, el.value, el.options


class Match:
    """Matches elements of one kind whose value (and, if given, some option) match."""

    __slots__ = ("kind", "value", "option")

    def __init__(self, kind: str, value: str = ".*", option: str | None = None):
        self.kind, self.value, self.option = kind, value, option

    def __call__(self, el) -> bool:
        kind, value, options = _fields(el)
        if kind != self.kind:
            return False
        if not _rx(self.value).search(str(value)):
            return False
        if self.option is None:
            return True
        return any(_rx(self.option).search(str(o)) for o in (options or ()))

    def __repr__(self) -> str:
        extra = f", {self.option!r}" if self.option is not None else ""
        return f"{self.kind}({self.value!r}{extra})"


def GoTo(value: str = ".*") -> Match:
    return Match("GoTo", value)


def Say(value: str = ".*") -> Match:
    return Match("Say", value)


def CheckEntity(value: str = ".*") -> Match:
    return Match("CheckEntity", value)


def Pick(value: str = ".*") -> Match:
    return Match("Pick", value)


def Place(value: str = ".*") -> Match:
    return Match("Place", value)


def Ask(question: str = ".*", option: str | None = None) -> Match:
    return Match("Ask", question, option)


def contain_words(words: list[str]) -> str:
    """A pattern matching text that contains every one of `words` (each a regex), in any order."""
    return r"^(?=.*" + r")(?=.*".join(words) + r").*$" if words else r"^.*$"


def contain_and_exclude(contained: list[str], excluded: list[str]) -> str:
    """Contains every word of `contained` and none of `excluded` (whole words, literal)."""
    banned = "|".join(r"\b" + re.escape(w) + r"\b" for w in excluded)
    return r"^(?!.*" + banned + r")(?=.*" + r")(?=.*".join(contained) + r").*$"


class Trace:
    __slots__ = ("elements",)

    def __init__(self, elements):
        self.elements = list(elements)

    def __len__(self) -> int:
        return len(self.elements)

    def _first(self, m):
        return next((i for i, el in enumerate(self.elements) if m(el)), None)

    def _last(self, m):
        return next((i for i in range(len(self.elements) - 1, -1, -1) if m(self.elements[i])), None)

    def after_first(self, m) -> "Trace":
        i = self._first(m)
        return self if i is None else Trace(self.elements[i + 1:])

    def before_first(self, m) -> "Trace":
        i = self._first(m)
        return self if i is None else Trace(self.elements[:i])

    def after_last(self, m) -> "Trace":
        i = self._last(m)
        return self if i is None else Trace(self.elements[i + 1:])

    def before_last(self, m) -> "Trace":
        i = self._last(m)
        return self if i is None else Trace(self.elements[:i])

    def exists(self, m) -> bool:
        return any(m(el) for el in self.elements)

    def count(self, m) -> int:
        return sum(1 for el in self.elements if m(el))

    def terminal(self, m) -> bool:
        """The last element matches (False on an empty trace, where RoboEval would crash)."""
        return bool(self.elements) and m(self.elements[-1])

    def precedes(self, first, then) -> bool:
        """Some `then` happens after the first `first` (RoboEval: AfterFirst(a).Exists(b))."""
        return self.after_first(first).exists(then)

    def act_at_first(self, location: str, action) -> bool:
        """`action` happens after first arriving at `location`, before going anywhere else."""
        arrive = GoTo(location)
        if not self.exists(arrive):
            return False
        elsewhere = GoTo(r"^(?!.*\b{loc}\b).*$".format(loc=location))
        return self.after_first(arrive).before_first(elsewhere).exists(action)

    def visits(self) -> list[str]:
        return [str(_fields(el)[1]) for el in self.elements if _fields(el)[0] == "GoTo"]
