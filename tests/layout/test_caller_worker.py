"""The caller/worker line of the tabletop domain is a folder line: task code runs only in sandbox
workers, so the modules that run it or the world it sees (`tabletop/env/`, `tabletop/taskapi/`,
every `worker/` folder) are the worker side, and no caller-side module imports pybullet or a
worker-side module — not at module level, not inside a function, not through another module."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from imports import imports, internal_edges, modules  # noqa: E402

WORKER_ONLY = ("pybullet",)  # external modules only the worker side may import


def is_worker_side(module: str) -> bool:
    parts = module.split(".")
    return parts[:3] in (["roboinstruct", "tabletop", "env"], ["roboinstruct", "tabletop", "taskapi"]) \
        or "worker" in parts[2:]


def caller_side() -> list[str]:
    """Every tabletop module not on the worker side, and every module that reaches the tabletop
    domain from above (gensim, the tabletop CLI, score, finetune)."""
    above = ("roboinstruct.gensim", "roboinstruct.cli.tabletop", "roboinstruct.score", "roboinstruct.finetune")
    return [m for m in modules() if (m.startswith("roboinstruct.tabletop") and not is_worker_side(m))
            or m.startswith(above)]


def reach(module: str) -> set[str]:
    edges, seen, todo = internal_edges(), set(), [module]
    while todo:
        for t in edges.get(todo.pop(), ()):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def test_the_sides_are_where_the_folders_say():
    assert is_worker_side("roboinstruct.tabletop.validate.worker.episode")
    assert is_worker_side("roboinstruct.tabletop.learning.worker.jobs")
    assert is_worker_side("roboinstruct.tabletop.env.sim")
    assert not is_worker_side("roboinstruct.tabletop.validate.verdict")
    callers = caller_side()
    assert "roboinstruct.tabletop.validate.run" in callers and "roboinstruct.tabletop.learning.demos" in callers
    assert not [m for m in callers if is_worker_side(m)]


def test_no_caller_side_module_imports_pybullet_or_the_worker_side():
    found = imports()
    bad = []
    for m in caller_side():
        bad += [f"{m}: imports {w} (line {n})" for t, w, n in found[m] if t in WORKER_ONLY or is_worker_side(t)]
        bad += [f"{m}: reaches {t} through its imports" for t in sorted(reach(m)) if is_worker_side(t)]
        bad += [f"{m}: reaches pybullet through {t}" for t in sorted(reach(m))
                if any(x in WORKER_ONLY for x, _, _ in found.get(t, ()))]
    assert not bad, "\n".join(bad)


def test_every_job_is_on_the_worker_side():
    jobs = [m for m in modules() if m.startswith("roboinstruct.tabletop")
            and any(line.startswith("def ") and "_job(" in line for line in modules()[m].read_text().splitlines())]
    assert jobs and all(is_worker_side(m) for m in jobs), jobs
