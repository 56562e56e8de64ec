"""Trace elements and RoboEval's text form of a trace.

A trace is what a program did, as a list of `Element(kind, value, options)`; kinds are
GoTo, CheckEntity, Ask, Say, Pick, Place. RoboEval records a trace by printing one line
per element (`"Ask /$@!/ question /$@!/ ['yes', 'no']"`) and parsing the lines back, so
we keep that text form both as the output format (comparable with RoboEval's saved
traces) and, in `roboeval:` mode, as the recording channel itself (see `parse_lines`).
"""

from __future__ import annotations

import ast
from typing import NamedTuple

DELIM = "/$@!/"
KINDS = ("GoTo", "CheckEntity", "Ask", "Say", "Pick", "Place")


class Element(NamedTuple):
    kind: str
    value: str
    options: list | None = None

    def text(self) -> str:
        return f"{self.kind} {DELIM} {self.value} {DELIM} {self.options}"


def line(kind: str, value: object, options: object = None) -> str:
    """The line RoboEval's simulator prints for one API call (f-string formatting)."""
    return f"{kind} {DELIM} {value} {DELIM} {options}"


def parse_lines(text: str) -> list[Element]:
    """Parse printed output back into elements exactly as RoboEval does.

    The whole output is stripped and split on '\\n'; parsing stops at the first line that
    is not three DELIM-separated fields or whose third field is not a literal. So a value
    with a line break, or anything the program printed itself, cuts the trace there.
    (RoboEval uses eval on the third field; literal_eval accepts the same reprs of lists
    of strings/numbers/None and is safe.)
    """
    out: list[Element] = []
    lines = text.strip().split("\n")
    if not lines[0]:
        return out
    for ln in lines:
        parts = ln.split(DELIM)
        if len(parts) != 3:
            break
        try:
            options = ast.literal_eval(parts[2].strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            break
        out.append(Element(parts[0].strip(), parts[1].strip(), options))
    return out
