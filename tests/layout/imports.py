"""Every import of the package read with `ast` (function-level ones included), resolved to modules:
what the layer and caller/worker tests check."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "roboinstruct"
SKIP = ("tabletop/tasks/library/", "examples/")  # task files and example programs: data, not modules


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if not rel.startswith(SKIP):
            out[module_name(path)] = path
    return out


@lru_cache(maxsize=1)
def imports() -> dict[str, list[tuple[str, str, int]]]:
    """module -> [(imported module or external top-level name, how it was written, line)]."""
    out: dict[str, list] = {}
    for mod, path in modules().items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        found = []
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                names = [f"{target}.{a.name}" for a in node.names]
                written = "." * node.level + (node.module or "")
            elif isinstance(node, ast.Import):
                target, names, written = None, [a.name for a in node.names], ""
            else:
                continue
            if target and names and all(n in modules() for n in names):
                target = None  # `from pkg import submodule`: an edge to the submodule, not to pkg's __init__
            for name in ([target] if target else []) + names:
                if name.startswith("roboinstruct.") or name == "roboinstruct":
                    is_module = name == target or isinstance(node, ast.Import)
                    if is_module and name != "roboinstruct" and name not in modules():
                        found.append((f"MISSING:{name}", written or name, node.lineno))
                        continue  # `from X import ...` and `import X` name a module: X must exist
                    if name not in modules():
                        continue  # an attribute of a module (from m import f), recorded as the module
                    found.append((name, written or name, node.lineno))
                else:
                    found.append((name.split(".")[0], written or name, node.lineno))
        out[mod] = sorted(set(found))
    return out


def internal_edges() -> dict[str, set[str]]:
    """module -> the package modules it imports (itself excluded)."""
    return {m: {t for t, _, _ in found if t.startswith("roboinstruct") and t != m} for m, found in imports().items()}
