"""Trace elements and RoboEval's text form of a trace.

A trace is what a program did, as a list of `Element(kind, value, options)`; kinds are
GoTo, CheckEntity, Ask, Say, Pick, Place. RoboEval records a trace by printing one line
per element (`"Ask /$@!/ question /$@!/ ['yes', 'no']"`) and parsing the lines back, so
we keep that text form both as the output format (comparable with RoboEval's saved
traces) and, in `roboeval:` mode, as the recording channel itself (see `parse_lines`), except
that the program's own printed text can only cut a trace, never add to it (`parse_output`).
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


def _element(ln: str) -> Element | None:
    """One line as RoboEval parses it: three DELIM-separated fields, the third a literal; else None."""
    parts = ln.split(DELIM)
    if len(parts) != 3:
        return None
    try:
        options = ast.literal_eval(parts[2].strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return Element(parts[0].strip(), parts[1].strip(), options)


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
        element = _element(ln)
        if element is None:
            break
        out.append(element)
    return out


def parse_output(chunks: list[tuple[str, bool]]) -> list[Element]:
    """RoboEval's parse (`parse_lines`) of output written in chunks, each the line one API call printed
    (True) or text the program printed itself (False), where only the API's own lines can become elements.

    RoboEval reads its trace back from the program's stdout, so a program that prints "GoTo /$@!/ x /$@!/
    None" itself, or says a message with a line break and such a line in it, adds a move it never made.
    Here a line is read as RoboEval reads it only when it is the first line of one API call's chunk with
    at most blanks printed by the program around it; any other line (the program's own text, the second
    line of a value) cuts the trace there. For output RoboEval parses without such added lines the
    elements are the same (such lines cut its trace too: they are not three fields), so the only
    difference is that printed text can end the trace, never add to it.
    """
    lines: list[list[tuple[str, bool, bool]]] = [[]]  # per line: (text, from the API, starts its chunk)
    for text, api in chunks:
        for k, part in enumerate(text.split("\n")):
            if k:
                lines.append([])
            if part:
                lines[-1].append((part, api, k == 0))

    def blank(line: list) -> bool:
        return all(not part.strip() for part, _, _ in line)

    start, end = 0, len(lines)  # RoboEval strips the whole output first
    while start < end and blank(lines[start]):
        start += 1
    while end > start and blank(lines[end - 1]):
        end -= 1
    out: list[Element] = []
    for line in lines[start:end]:
        api = [f for f in line if f[1]]
        if len(api) != 1 or not api[0][2] or not all(f[1] or not f[0].strip() for f in line):
            break
        element = _element("".join(part for part, _, _ in line))
        if element is None:
            break
        out.append(element)
    return out
