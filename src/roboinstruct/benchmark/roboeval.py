"""`roboeval:PATH` — the official RoboEval task files, imported unchanged from a checkout.

PATH is a checkout of ut-amrl/robo-instruct (tasks in `roboeval/benchmark/tasks`) or of
ut-amrl/codebotler (`benchmark/tasks`), or that tasks directory itself. Each task module
defines `name`, `prompts` and `tests` ([{"state", "test", "timeout"}]); we read each
state into a `World`, and wrap each test so it receives that project's own TraceElement
objects (built from its `rtl` module) for our trace.

`roboeval_source` reproduces how RoboEval's evaluator rewrites a program before running
it, because the rewrite changes verdicts: double-quoted stretches are lower-cased, and
API calls are rewritten textually (`say(` -> `robot.say(`), which breaks identifiers that
merely end in an API name (`def ask_and_say(` is a SyntaxError there, `s.replace(` an
AttributeError) — we keep those breakages and undo the harmless rewrites.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import sys
from pathlib import Path

from ..errors import UserError
from .model import State, Task
from .world import Person, World

LAYOUTS = (("roboeval/benchmark/tasks", "roboeval"), ("benchmark/tasks", "benchmark"))
API = ("get_current_location", "get_all_rooms", "is_in_room", "say", "go_to", "ask", "pick", "place")
_QUOTED = re.compile(r'".*?"')


def lower_quoted(source: str) -> str:
    """Lower-case every double-quoted stretch of each line, as RoboEval does (f-strings too)."""
    return _QUOTED.sub(lambda m: m.group(0).lower(), source)


class _Undo(ast.NodeTransformer):
    """`robot.say(...)` -> `say(...)`; `foo_robot.say` -> `foo_robot` (a NameError when run, as there)."""

    def visit_Attribute(self, node: ast.Attribute):
        self.generic_visit(node)
        if node.attr in API and isinstance(node.value, ast.Name):
            name = node.attr if node.value.id == "robot" else node.value.id
            return ast.copy_location(ast.Name(name, node.ctx), node)
        return node


def roboeval_source(source: str) -> tuple[str | None, str | None]:
    """(runnable source, None) or (None, SyntaxError message) as RoboEval would see the program."""
    source = lower_quoted(source)
    rewritten = source
    for name in API:
        rewritten = rewritten.replace(name + "(", "robot." + name + "(")
    try:
        tree = ast.parse(rewritten)
    except SyntaxError as e:
        try:
            ast.parse(source)
        except SyntaxError:
            return source, None  # broken anyway: let the sandbox report it with its own line
        return None, f"SyntaxError: {e.msg}"
    broken = re.search(r"[\w.](?:" + "|".join(API) + r")\(", source)
    in_strings = any(isinstance(n, ast.Constant) and isinstance(n.value, str) and "robot." in n.value
                     for n in ast.walk(tree))
    if not broken and not in_strings:
        return source, None  # every rewrite was a clean call: nothing to reproduce
    try:
        out = ast.unparse(ast.fix_missing_locations(_Undo().visit(tree)))
        ast.parse(out)
        return out, None
    except (SyntaxError, ValueError, RecursionError):
        return source, None


def _checkout(path: str) -> tuple[Path, Path, str]:
    root = Path(path).expanduser()
    if not root.exists():
        raise UserError(f"roboeval:{path}: no such directory")
    root = root.resolve()
    for sub, pkg in LAYOUTS:
        if (root / sub).is_dir():
            return root, root / sub, pkg
    for sub, pkg in LAYOUTS:  # PATH is the tasks directory itself
        depth = sub.count("/") + 1
        if root.as_posix().endswith("/" + sub) and len(root.parents) >= depth:
            return root.parents[depth - 1], root, pkg
    raise UserError(f"roboeval:{path}: expected a checkout of ut-amrl/robo-instruct (roboeval/benchmark/tasks) "
                    f"or ut-amrl/codebotler (benchmark/tasks)")


def _forget_other_checkouts(root: Path, top: str) -> None:
    # Both projects use generic top-level package names (benchmark, misc, roboeval); a module
    # cached from another checkout would silently be reused by `from benchmark.rtl import *`.
    stale = []
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] not in (top, "misc", "benchmark", "roboeval"):
            continue
        try:
            where = [getattr(module, "__file__", None) or ""] + [str(p) for p in getattr(module, "__path__", [])]
        except (KeyError, TypeError, AttributeError):
            where = []
        if not any(w.startswith(str(root)) for w in where if w):
            stale.append(name)
    for name in stale:
        sys.modules.pop(name, None)


def _world(state, where: str) -> World:
    try:
        people = {loc: [Person(str(n), [str(a) for a in answers]) for n, answers in agents]
                  for loc, agents in dict(state.agents).items()}
        return World(list(state.locations), {k: list(v) for k, v in dict(state.objects).items()}, people,
                     state.robot_location)
    except (AttributeError, TypeError, ValueError) as e:
        raise UserError(f"{where}: state is not a RoboEval State ({e})") from None


def _wrap(test, element_cls):
    def check(elements):
        return test([element_cls(e.kind, e.value, e.options) for e in elements])

    return check


# What the official checkouts import beyond the standard library, and the extra that installs it.
CHECKOUT_NEEDS = {"numpy": "roboinstruct[roboeval]"}


def _import_failure(where: str, what: str, e: Exception) -> UserError:
    """One line; a missing package names the pip command that installs it."""
    if isinstance(e, ModuleNotFoundError) and e.name and "." not in e.name and not e.name.startswith(
            ("roboeval", "benchmark", "misc")):
        extra = CHECKOUT_NEEDS.get(e.name)
        fix = f"pip install '{extra}' (or: pip install {e.name})" if extra else f"pip install {e.name}"
        return UserError(f"{where}: {what} needs the Python package {e.name!r}, which is not installed: {fix}")
    return UserError(f"{where}: {what}: {type(e).__name__}: {e}")


def load_roboeval(path: str) -> list[Task]:
    root, tasks_dir, top = _checkout(path)
    _forget_other_checkouts(root, top)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        rtl = importlib.import_module(f"{'roboeval.benchmark' if top == 'roboeval' else 'benchmark'}.rtl")
    except Exception as e:  # noqa: BLE001 - any import failure is the user's checkout
        raise _import_failure(f"roboeval:{path}", "its rtl module", e) from None
    files = sorted(f for f in tasks_dir.glob("*.py") if f.name != "__init__.py")
    if not files:
        raise UserError(f"roboeval:{path}: no task modules in {tasks_dir}")
    tasks = []
    for i, f in enumerate(files):
        spec = importlib.util.spec_from_file_location(f"_roboeval_task_{i}_{f.stem}", f)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
            name, prompts, tests = module.name, list(module.prompts), list(module.tests)
        except Exception as e:  # noqa: BLE001
            raise _import_failure(str(f), "this task module", e) from None
        element_cls = getattr(module, "TraceElement", None) or rtl.TraceElement
        states = [State(_world(t["state"], f"{f} state {j}"), _wrap(t["test"], element_cls), bool(t.get("timeout")),
                        f"state{j}") for j, t in enumerate(tests)]
        tasks.append(Task(str(name), [str(p) for p in prompts], states, roboeval=True, source=str(f)))
    return tasks
