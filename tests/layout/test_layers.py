"""The package's shape, checked: the layer list in ARCHITECTURE.md (its ```layers block, the one
place it is written) holds every top-level package and module; no import goes up a layer; no
import cycle between modules; every import of the package names a module that exists; at most 10
flat modules at the root; every module under 400 lines. Imports are read with `ast`, so
function-level imports count like any other."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from imports import PACKAGE, SRC, imports, internal_edges, modules  # noqa: E402

ARCHITECTURE = SRC.parent / "ARCHITECTURE.md"
MAX_ROOT_MODULES = 10
MAX_LINES = 400


def layers() -> list[set[str]]:
    """Top to bottom: the names on each line of ARCHITECTURE.md's ```layers block."""
    block = re.search(r"```layers\n(.*?)```", ARCHITECTURE.read_text(), re.S)
    assert block, "ARCHITECTURE.md has no ```layers block"
    return [set(line.split("#")[0].split()) for line in block.group(1).splitlines() if line.split("#")[0].strip()]


def top(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_every_top_level_name_is_in_exactly_one_layer():
    names = {top(m) for m in modules() if m != "roboinstruct"}
    listed = [n for layer in layers() for n in layer]
    assert len(listed) == len(set(listed)), "a name is listed in two layers"
    assert names == set(listed), f"not in a layer: {sorted(names - set(listed))}; listed but absent: " \
                                 f"{sorted(set(listed) - names)}"


def test_no_import_goes_up_a_layer():
    rank = {n: i for i, layer in enumerate(layers()) for n in layer}
    up = [f"{m} -> {t}" for m, ts in internal_edges().items() for t in ts
          if top(t) != top(m) and rank[top(t)] < rank[top(m)]]
    assert not up, "imports up the layers (ARCHITECTURE.md, ```layers):\n" + "\n".join(sorted(up))


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_no_import_cycle():
    assert not _cycles(internal_edges()), f"import cycles: {_cycles(internal_edges())}"


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_import_of_the_package_exists_here():
    # the package is a namespace package: a module removed here could still import from another
    # checkout on sys.path, so a stale import is caught by reading, not by importing
    missing = [f"{m}: {w} (line {n})" for m, found in imports().items() for t, w, n in found if t.startswith("MISSING")]
    assert not missing, "\n".join(missing)


def test_at_most_ten_flat_modules_at_the_root():
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(flat) <= MAX_ROOT_MODULES, flat


def test_modules_are_short():
    long = {m: n for m, p in modules().items() if (n := len(p.read_text().splitlines())) >= MAX_LINES}
    assert not long, long
