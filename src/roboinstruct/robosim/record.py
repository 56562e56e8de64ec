"""What a RoboSim child returns instead of a verdict: the record of its exploration, as data.

Per path, the API calls the program made, in order (`[name, args, line, result]`; a call that raised
has no result), the `time.sleep`s between them (`["time.sleep", [seconds], line]`), how the path ended (None,
or `[error kind, message, line]`), its step count and, for a failing path, what the program printed.
The parent re-derives the verdict from it (`replay`): it runs the same path schedule against a fresh
simulator in trusted code, so a program that tampered with the simulator in its own process (the
world, the chooser, the verdict) cannot make a path pass that the API's semantics fail.

Arguments keep their Python types through JSON: str, int, float, bool, None and lists of them as
themselves, anything else as `{"type", "repr", "str"}`, which the replay turns into an `Opaque` that
prints and names its type as the original did (so the API's type errors read the same).
"""

from __future__ import annotations

import reprlib

REPR_LIMIT = 200
DEPTH_LIMIT = 32
_PLAIN = (str, int, float, bool, type(None))


class Opaque:
    """A value the record could not carry as itself: its type's name and its printed forms."""

    __slots__ = ("name", "text", "shown")

    def __init__(self, name: str, text: str, shown: str):
        self.name, self.text, self.shown = name, text, shown

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.shown

    def __eq__(self, other) -> bool:
        return isinstance(other, Opaque) and (self.name, self.text, self.shown) == (other.name, other.text, other.shown)

    __hash__ = object.__hash__


def _printed(fn, value) -> str:
    try:
        return fn(value)[:REPR_LIMIT]
    except BaseException:  # noqa: BLE001 - a value that cannot print (nested too deeply): say so
        return "<unprintable>"


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxstring, _SHORT.maxother = 8, 8, 80, 80


def shown(value) -> str:
    """repr(value) for messages and traces; for a value nested too deeply to print (a RecursionError
    that would otherwise end the verification as a crash, not as the program's error) a shortened one.
    Lists nested deeper than a record carries them print shortened on both sides of the boundary."""
    if _too_deep(value):
        return _SHORT.repr(value)
    try:
        return repr(value)
    except RecursionError:
        return _SHORT.repr(value)


def _too_deep(value, level: int = 0) -> bool:
    if type(value) is Opaque:
        return value.name == "list"  # only `encode`'s depth limit leaves a list opaque
    if type(value) is not list:
        return False
    return level >= DEPTH_LIMIT or any(_too_deep(v, level + 1) for v in value)


def encode(value, depth: int = 0):
    t = type(value)
    if t in _PLAIN:
        return value
    if t is list and depth < DEPTH_LIMIT:
        return [encode(v, depth + 1) for v in value]
    return {"type": t.__name__, "repr": _printed(shown, value), "str": _printed(str, value)}


def decode(value, depth: int = 0):
    """The parent's side; raises ValueError on anything `encode` cannot have written."""
    t = type(value)
    if t in _PLAIN:
        return value
    if t is list and depth <= DEPTH_LIMIT:
        return [decode(v, depth + 1) for v in value]
    if t is dict and set(value) == {"type", "repr", "str"} and all(type(v) is str for v in value.values()):
        return Opaque(value["type"][:100], value["repr"][:REPR_LIMIT], value["str"][:REPR_LIMIT])
    raise ValueError("not an encoded value")


def typename(value) -> str:
    return value.name if type(value) is Opaque else type(value).__name__
