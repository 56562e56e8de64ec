"""Rooms that get_all_rooms() returns, synthesized for each program from its own words.

A program that keeps only rooms containing "bedroom" must see bedrooms, and must also
be tried on a building without any. We find the string literals a program compares room
names against (`"bedroom" in room`, `room == "kitchen"`, `room.startswith("lab")`,
`room in ["a", "b"]`), and offer a choice point over three buildings: one room per
literal among unrelated rooms, no matching room at all, two rooms per literal.
Literals the program uses as objects or people are never room names (that would make
the program's own `pick("apple")` a kind error).
"""

from __future__ import annotations

import ast

from ..domain import Domain
from .world import canon

_STR_METHODS = {"startswith", "endswith", "find", "rfind", "index", "rindex", "count", "split", "partition"}
_MAX_CANDIDATES = 6
_UNRELATED = 3


class _Subtrees:
    """What `_mentions` asks of a subtree (the names in it, whether it calls a room function),
    computed once per subtree of one program instead of once per question."""

    def __init__(self, room_calls: set[str]):
        self.room_calls = room_calls
        self.seen: dict[int, tuple[frozenset, bool]] = {}

    def summary(self, node: ast.AST) -> tuple[frozenset, bool]:
        hit = self.seen.get(id(node))
        if hit is None:
            names, calls = set(), False
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name):
                    names.add(sub.id)
                elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in self.room_calls:
                    calls = True
            self.seen[id(node)] = hit = (frozenset(names), calls)
        return hit


def _mentions(node: ast.AST, tainted: set[str], subtrees: _Subtrees) -> bool:
    names, calls = subtrees.summary(node)
    return calls or not names.isdisjoint(tainted)


def _targets(node: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _room_functions(domain: Domain) -> set[str]:
    return {f.name for f in domain.functions.values() if f.returns in ("rooms", "here")}


def candidate_words(tree: ast.AST, domain: Domain) -> list[str]:
    """String literals compared against room names, in order of appearance."""
    return [w for w, _ in _candidates(list(ast.walk(tree)), domain)]


def _candidates(nodes: list[ast.AST], domain: Domain) -> list[tuple[str, bool]]:
    """(word, used as a suffix) pairs: `room.endswith(w)` needs rooms that *end* in w. `nodes`: the
    program's tree, walked once (ast.walk order)."""
    subtrees = _Subtrees(_room_functions(domain))
    tainted: set[str] = set()
    for _ in range(3):  # a few rounds reach a fixpoint for straight-line aliasing
        for node in nodes:
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None \
                    and _mentions(node.value, tainted, subtrees):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    tainted.update(_targets(t))
            elif isinstance(node, (ast.For, ast.comprehension)) and _mentions(node.iter, tainted, subtrees):
                tainted.update(_targets(node.target))
    found: list[str] = []
    suffixes: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_mentions(s, tainted, subtrees) for s in sides):
                for s in sides:
                    found.extend(_strings(s))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in _STR_METHODS and _mentions(node.func.value, tainted, subtrees):
            for a in node.args:
                found.extend(_strings(a))
                if node.func.attr == "endswith":
                    suffixes.update(w.strip() for w in _strings(a))
    excluded = _non_location_literals(nodes, domain)
    out: list[str] = []
    for w in found:
        w = w.strip()
        if w and len(w) <= 40 and "?" not in w and canon(w) not in excluded and w not in out:
            out.append(w)
    return [(w, w in suffixes) for w in out[:_MAX_CANDIDATES]]


def _non_location_literals(nodes: list[ast.AST], domain: Domain) -> set[str]:
    """Literals passed to API parameters of a kind other than location."""
    out = set()
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in domain.functions:
            fn = domain.functions[node.func.id]
            for p, a in zip(fn.params, node.args):
                if p.kind and p.kind != "location":
                    out.update(canon(s) for s in _strings(a))
    return out


def static_facts(tree: ast.AST, domain: Domain) -> tuple[list[list[str]], dict[str, tuple[str, int]]]:
    """(room_configs, static_kinds) of one program, from one walk of its tree: what both the
    exploration (in the child) and the replay (in the parent) start from."""
    nodes = list(ast.walk(tree))
    return _room_configs(nodes, domain), _static_kinds(nodes, domain)


def static_kinds(tree: ast.AST, domain: Domain) -> dict[str, tuple[str, int]]:
    return _static_kinds(list(ast.walk(tree)), domain)


def _static_kinds(nodes: list[ast.AST], domain: Domain) -> dict[str, tuple[str, int]]:
    """Kinds that literal arguments pin down anywhere in the program: name -> (kind, line).

    Knowing early that "apple" is picked somewhere makes it an object from the start, so
    `while not is_in_room("apple")` waits for something that cannot move. Names used with
    two different kinds are left out; the run reports that conflict where it happens.
    """
    seen: dict[str, tuple[str, int]] = {}
    clash: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in domain.functions:
            fn = domain.functions[node.func.id]
            for p, a in zip(fn.params, node.args):
                if not p.kind or domain.kinds[p.kind].includes:
                    continue  # only concrete kinds pin a name
                for s in _strings(a):
                    name = canon(s)
                    if name in domain.alias_of:
                        continue
                    if name in seen and seen[name][0] != p.kind:
                        clash.add(name)
                    seen.setdefault(name, (p.kind, node.lineno))
    return {n: k for n, k in seen.items() if n not in clash}


def all_literals(tree: ast.AST) -> set[str]:
    return _literals(ast.walk(tree))


def _literals(nodes) -> set[str]:
    return {canon(n.value) for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def room_configs(tree: ast.AST, domain: Domain) -> list[list[str]]:
    """The buildings a program is tried in; more than one makes get_all_rooms() a choice point."""
    return _room_configs(list(ast.walk(tree)), domain)


def _room_configs(nodes: list[ast.AST], domain: Domain) -> list[list[str]]:
    cands = _candidates(nodes, domain)
    words = [w for w, _ in cands]
    used = _literals(nodes)
    unrelated = [r for r in domain.room_pool if r not in used and not any(canon(w) in r for w in words)]
    unrelated = unrelated[:_UNRELATED] or ["room a", "room b"]
    if not words:
        return [unrelated]
    one_each: list[str] = []
    for i in range(max(len(words), len(unrelated))):
        if i < len(unrelated):
            one_each.append(unrelated[i])
        if i < len(words):
            one_each.append(words[i])
    # the second room of each word keeps matching: "bedroom 2", or "north bedroom" for endswith
    two_each = [r for w, suffix in cands for r in (w, f"north {w}" if suffix else f"{w} 2")] + unrelated[:1]
    return [one_each, list(unrelated), two_each]
