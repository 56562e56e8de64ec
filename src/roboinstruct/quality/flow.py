"""Meaning rules that follow the robot through the program: where it is when it acts.

Still pure AST reading (nothing runs), with a small walk over the statements that tracks the
room the robot is in as a token (a literal room name, or a fresh token after a move to a
computed place) and what it has found where. The roles come from the domain YAML:
  sensing  functions returning `query at(here, X)`   (is_in_room)
  actors   functions requiring `at(here, X)`         (pick, ask)
  movers   functions with a `move` effect            (go_to)
Rules:
  found-elsewhere  X was found in one room, the robot moved, and then acts on X (picks it, asks
                   them) without looking again: it assumes X came along.
  missing-check    the instruction asks to find something out; the program never looks or asks.
  relative-place   the robot is sent to a role ("current location"), not to a room.
  room-filter      a loop over the rooms skips every room whose name lacks a word the
                   instruction never says (`if "lab" not in room: continue` for "every room").
"""

from __future__ import annotations

import ast
import itertools
import re

from ..domain import Domain
from .findings import Finding

_fresh = itertools.count()


class _Roles:
    def __init__(self, domain: Domain):
        fns = domain.functions.values()
        self.sensing = {f.name: [p.name for p in f.params].index(f.query.args[1]) for f in fns
                        if f.query is not None and len(f.query.args) == 2 and f.query.args[0] == "here"
                        and f.query.args[1] in [p.name for p in f.params]}
        self.actors = {}
        for f in fns:
            names = [p.name for p in f.params]
            for req in f.requires:
                lit = req.literal
                if lit.mode == "true" and len(lit.args) == 2 and lit.args[0] == "here" and lit.args[1] in names:
                    self.actors[f.name] = names.index(lit.args[1])
        self.movers = {f.name: [p.name for p in f.params].index(e[1]) for f in fns for e in f.effects
                       if isinstance(e, tuple) and e[1] in [p.name for p in f.params]}
        self.valued = {f.name for f in fns if f.returns != "none"}
        self.rooms = {f.name for f in fns if f.returns == "rooms"}


def _arg(call: ast.Call, index: int):
    if index < len(call.args):
        return call.args[index]
    return call.keywords[index - len(call.args)].value if index - len(call.args) < len(call.keywords) else None


def _const(node) -> str | None:
    return node.value.strip().lower() if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _name(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else None


class _Walk:
    """One pass over the statements; `found` maps an entity to the room token where a branch found it."""

    def __init__(self, roles: _Roles):
        self.roles = roles
        self.findings: list[Finding] = []

    def block(self, stmts, room, found: dict, looked: set) -> tuple[object, bool]:
        """Walk statements; return the room token after them and whether they moved the robot."""
        moved = False
        for s in stmts:
            room, m = self.stmt(s, room, found, looked)
            moved = moved or m
        return room, moved

    def stmt(self, s, room, found, looked):
        if isinstance(s, ast.If):
            room, _ = self.calls(s.test, room, found, looked)
            positive, negative = self._tested(s.test)
            body_found, else_found = dict(found), dict(found)
            for x in positive:
                body_found[x] = room
            for x in negative:
                else_found[x] = room
            r1, m1 = self.block(s.body, room, body_found, set(looked))
            r2, m2 = self.block(s.orelse, room, else_found, set(looked))
            if m1 or m2:
                return (r1 if r1 == r2 else next(_fresh)), True
            return room, False
        if isinstance(s, (ast.For, ast.While)):
            room, _ = self.calls(s.iter if isinstance(s, ast.For) else s.test, room, found, looked)
            r, m = self.block(s.body, room, dict(found), set(looked))
            r2, m2 = self.block(s.orelse, r if m else room, dict(found), set(looked))
            return (next(_fresh), True) if (m or m2) else (room, False)
        if isinstance(s, (ast.With, ast.Try)):
            body = list(s.body) + [x for h in getattr(s, "handlers", []) for x in h.body] + list(
                getattr(s, "orelse", [])) + list(getattr(s, "finalbody", []))
            return self.block(body, room, found, looked)
        if isinstance(s, (ast.FunctionDef, ast.ClassDef)):
            return room, False  # a nested definition runs when called; not followed
        return self.calls(s, room, found, looked)

    def _tested(self, test) -> tuple[list[str], list[str]]:
        """Entities a condition finds present (if true) or absent-then-else (if `not`)."""
        parts = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
        pos, neg = [], []
        for p in parts:
            negated = isinstance(p, ast.UnaryOp) and isinstance(p.op, ast.Not)
            c = p.operand if negated else p
            if isinstance(c, ast.Call) and _name(c) in self.roles.sensing:
                x = _const(_arg(c, self.roles.sensing[_name(c)]))
                if x:
                    (neg if negated else pos).append(x)
        return pos, (neg if len(parts) == 1 else [])

    def calls(self, node, room, found, looked):
        moved = False
        for c in sorted((n for n in ast.walk(node) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset)):
            fn = _name(c)
            if fn in self.roles.movers:
                dest = _const(_arg(c, self.roles.movers[fn]))
                room = dest if dest is not None else next(_fresh)
                moved = True
                looked.clear()
            elif fn in self.roles.sensing:
                x = _const(_arg(c, self.roles.sensing[fn]))
                if x:
                    looked.add(x)
            elif fn in self.roles.actors:
                x = _const(_arg(c, self.roles.actors[fn]))
                if x and x in found and found[x] != room and x not in looked:
                    where = found[x] if isinstance(found[x], str) else "another room"
                    self.findings.append(Finding(
                        "found-elsewhere", f"{x!r} was found in {where!r}, then the robot moved and calls "
                                           f"{fn}({x!r}) without looking for it where it is now", c.lineno))
                    found.pop(x)
        return room, moved


def flow_rules(instruction: str, tree: ast.AST, domain: Domain) -> list[Finding]:
    roles = _Roles(domain)
    found: list[Finding] = []
    body = next((n.body for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)), getattr(tree, "body", []))
    walk = _Walk(roles)
    walk.block(body, "<start>", {}, set())
    found += walk.findings[:1]
    vocab = domain.vocabulary
    low = " ".join((instruction or "").lower().split())
    asks_check = next((w for w in vocab.checks if re.search(rf"\b{re.escape(w)}\b", low)), None)
    calls = [c for c in ast.walk(tree) if isinstance(c, ast.Call)]
    if asks_check and not any(_name(c) in roles.valued for c in calls):
        found.append(Finding("missing-check", f"the instruction asks to {asks_check!r}; the program never looks "
                                              f"or asks anything (no call that returns an answer)"))
    for c in calls:
        fn = _name(c)
        if fn in roles.movers:
            dest = _const(_arg(c, roles.movers[fn]))
            if dest in vocab.relative_places:
                found.append(Finding("relative-place", f"{fn}({dest!r}) names no room; save where the robot "
                                                       f"starts and go back to that", c.lineno))
                break
    return found + _room_filter(low, tree, roles)


def _room_filter(low: str, tree: ast.AST, roles: _Roles) -> list[Finding]:
    """A loop over the rooms that keeps only names containing a word the instruction never says."""
    said = set(re.findall(r"[a-z0-9]+", low))
    # words of what the program looks for, picks or asks: a room's name is not the object sought in it
    sought = {w for c in ast.walk(tree) if isinstance(c, ast.Call) and _name(c) in {**roles.sensing, **roles.actors}
              for a in c.args for w in re.findall(r"[a-z0-9]+", _const(a) or "")}
    for loop in ast.walk(tree):
        if not (isinstance(loop, ast.For) and isinstance(loop.target, ast.Name) and isinstance(loop.iter, ast.Call)
                and _name(loop.iter) in roles.rooms):
            continue
        for test in ast.walk(loop):
            if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.In, ast.NotIn))
                    and isinstance(test.comparators[0], ast.Name) and test.comparators[0].id == loop.target.id):
                continue
            word = _const(test.left)
            words = re.findall(r"[a-z0-9]+", word or "")
            # what the listing function lists (get_all_rooms: "room"): every name is one, whatever it says
            generic = re.findall(r"[a-z]+", _name(loop.iter).lower())[-1].rstrip("s")
            if words and set(words) <= sought:
                return [Finding("room-filter", f"keeps only the {generic}s whose name contains {word!r}: the name "
                                               f"of what it looks for, not of a {generic}", test.lineno)]
            if words == [generic]:
                return [Finding("room-filter", f"keeps only the {generic}s whose name contains {word!r}; a {generic} "
                                               f"is one whatever its name says", test.lineno)]
            if words and not all(w in said or w.rstrip("s") in said or w + "s" in said for w in words):
                return [Finding("room-filter", f"keeps only the {generic}s whose name contains {word!r}, which the "
                                               f"instruction never mentions", test.lineno)]
    return []
