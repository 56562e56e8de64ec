"""Where a program can make each API call: a record's calls checked against the program's own text.

A record (robosim.record) says which calls the program made, at which line, and the replay checks
what each call returned, not that the program made it (ARCHITECTURE.md, the trust boundary). For most
programs the text settles part of that. When every use of an API function is a direct call by its own
name (no API function passed around as a value, none of their names rebound), every API call the
program can make starts at a line spanned by a call of that name (the line the interpreter reports is
the call's first), and where that call's arguments are all literals, it is made with those arguments.
A recorded call that no such site can make was not made by this program: the record is refused. So a
child cannot report another program's calls as its own where the two programs differ in their
literal calls (a copied record's go_to("kitchen") at the line where this program says
go_to("office")); where they differ only in control flow or computed arguments it still can.

Programs that pass API functions around (`map(go_to, rooms)`) or rebind their names are not checked:
their calls can come from any line. Trusted code only (the parent's side): it parses, never runs.
"""

from __future__ import annotations

import ast

_BINDERS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _literals(call: ast.Call) -> tuple | None:
    """The call's arguments when all are plain literals passed by position, else None (unknown)."""
    if call.keywords or not all(isinstance(a, ast.Constant) for a in call.args):
        return None
    return tuple(a.value for a in call.args)


def _binds(node: ast.AST) -> list[str]:
    """Names a node binds other than through an `ast.Name` store (those are seen as Names)."""
    if isinstance(node, _BINDERS):
        return [node.name]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.alias):
        return [node.asname or node.name.split(".")[0]]
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        return [node.name]
    if isinstance(node, ast.MatchMapping) and node.rest:
        return [node.rest]
    return []


class CallSites:
    """The direct API call sites of one program (`tree`: its parsed source), by function name."""

    def __init__(self, tree: ast.AST, api_names):
        api = set(api_names)
        self.sites: dict[str, list[tuple[int, int, tuple | None]]] = {}
        direct: set[int] = set()  # the Name nodes that are a direct API call's function
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in api:
                direct.add(id(node.func))
                end = node.end_lineno or node.lineno
                self.sites.setdefault(node.func.id, []).append((node.lineno, end, _literals(node)))
        # checked: every mention of an API name is a direct call (no value use, no rebinding)
        self.checked = not any(
            isinstance(node, ast.Name) and node.id in api and id(node) not in direct
            or any(name in api for name in _binds(node)) for node in ast.walk(tree))

    def can_make(self, name: str, args: tuple, line) -> bool:
        """Whether a call of `name` with `args`, reported at `line`, can be one this program makes."""
        if not self.checked:
            return True
        if type(line) is not int:  # every API call is made from the program's own code: it has a line
            return False
        for start, end, literals in self.sites.get(name, ()):
            if start <= line <= end and (literals is None or _same(literals, args)):
                return True
        return False


def _same(literals: tuple, args: tuple) -> bool:
    return len(literals) == len(args) and all(type(a) is type(b) and a == b for a, b in zip(literals, args))
