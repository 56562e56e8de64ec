"""Loading a task suite: `builtin` (our YAML tasks), a directory of YAML tasks, or `roboeval:PATH`.

A YAML task declares prompts, states (worlds) and checks. A check is a Python expression
over the trace using the operator library (checks.py) — `t` is the trace, the operators
are also bound as plain functions (`exists(GoTo("kitchen"))`), `start` is the robot's
start location and a state's `vars` are in scope. `helpers:` may define Python functions
for checks that need more (the escape hatch). Every task also ships a `reference`
solution and `wrong` variants, which the test suite runs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import UserError
from . import checks as ops
from .model import State, Task
from .world import World

BUILTIN_DIR = Path(__file__).parent / "tasks"

_OPS = {n: getattr(ops, n) for n in ("GoTo", "Say", "Ask", "CheckEntity", "Pick", "Place", "Match", "Trace",
                                     "contain_words", "contain_and_exclude")}
_OPS["words"] = lambda *ws: ops.contain_words(list(ws))
_OPS["any_of"] = lambda *ws: "|".join(f"(?:{w})" for w in ws)


def _namespace(elements, start: str, variables: dict, helpers: dict) -> dict:
    t = ops.Trace(elements)
    away = ops.GoTo(ops.contain_and_exclude([], [start]))
    ns = {**_OPS, **helpers, **variables, "t": t, "start": start,
          "exists": t.exists, "count": t.count, "terminal": t.terminal, "precedes": t.precedes,
          "act_at_first": t.act_at_first, "after_first": t.after_first, "before_first": t.before_first,
          "after_last": t.after_last, "before_last": t.before_last, "visits": t.visits(),
          # "back at the start after having left it, then `m`": how RoboEval checks a final report
          "at_start_after_leaving": lambda m: t.after_first(away).act_at_first(start, m),
          "only_at": lambda loc, m: _only_at(t, start, loc, m),
          "ends_at": lambda loc: bool(t.visits()) and ops._rx(loc).search(t.visits()[-1]) is not None}
    return ns


def _only_at(t, start: str, loc: str, m) -> bool:
    """Some element matches `m`, and every one that does happens while the robot is at `loc`."""
    here, seen = start, False
    for el in t.elements:
        kind, value, _ = ops._fields(el)
        if kind == "GoTo":
            here = str(value)
        elif m(el):
            if not ops._rx(loc).search(here):
                return False
            seen = True
    return seen


def _compile_checks(exprs, where: str) -> list:
    if isinstance(exprs, str):
        exprs = [exprs]
    out = []
    for e in exprs or []:
        try:
            out.append((e, compile(str(e), where, "eval")))
        except SyntaxError as err:
            raise UserError(f"{where}: check {e!r} is not a valid expression ({err.msg})") from None
    return out


def _make_check(codes: list, start: str, variables: dict, helpers: dict):
    def check(elements) -> bool:
        ns = _namespace(elements, start, variables, helpers)
        return all(bool(eval(code, ns)) for _src, code in codes)  # noqa: S307 - task files are trusted

    check.sources = [src for src, _ in codes]
    return check


def load_yaml_task(path: Path) -> Task:
    where = str(path)
    try:
        d = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as e:
        raise UserError(f"{where}: cannot read task file ({e})") from None
    if not isinstance(d, dict):
        raise UserError(f"{where}: a task file must be a mapping")
    for key in ("name", "prompts", "states"):
        if key not in d:
            raise UserError(f"{where}: missing '{key}'")
    if not isinstance(d["prompts"], list) or not all(isinstance(p, str) for p in d["prompts"]) or not d["prompts"]:
        raise UserError(f"{where}: 'prompts' must be a non-empty list of strings")
    helpers: dict = {}
    if d.get("helpers"):
        exec(compile(d["helpers"], f"{where}:helpers", "exec"), {**_OPS, "__builtins__": __builtins__}, helpers)  # noqa: S102
    common = _compile_checks(d.get("checks"), f"{where}:checks")
    states = []
    for i, s in enumerate(d["states"]):
        sw = f"{where}: state {i}"
        world = World.from_dict(s, sw)
        codes = common + _compile_checks(s.get("checks"), f"{sw}:checks")
        if not codes:
            raise UserError(f"{sw}: no checks (give 'checks' for the task or the state)")
        states.append(State(world, _make_check(codes, world.robot, dict(s.get("vars") or {}), helpers),
                            bool(s.get("timeout", False)), s.get("label", f"state{i}")))
    wrong = d.get("wrong") or {}
    if not isinstance(wrong, dict):
        raise UserError(f"{where}: 'wrong' must map a variant name to a program")
    return Task(str(d["name"]), list(d["prompts"]), states, False, str(d.get("category", "")),
                d.get("reference"), {str(k): str(v) for k, v in wrong.items()}, where)


def _yaml_dir(path: Path) -> list[Task]:
    files = sorted(list(path.glob("*.yaml")) + list(path.glob("*.yml")))
    if not files:
        raise UserError(f"{path}: no *.yaml task files")
    return [load_yaml_task(f) for f in files]


@lru_cache(maxsize=8)
def absolute_spec(spec: str) -> str:
    """The same suite named by an absolute path: sandbox workers run in another directory,
    so a relative `roboeval:../x` or `DIR` would name nothing there."""
    spec = str(spec)
    if spec == "builtin":
        return spec
    if spec.startswith("roboeval:"):
        return "roboeval:" + str(Path(spec[len("roboeval:"):]).expanduser().resolve())
    return str(Path(spec).expanduser().resolve())


def load_tasks(spec: str = "builtin") -> dict[str, Task]:
    """Tasks by name, in file order. `spec`: "builtin", a directory of YAML tasks, or "roboeval:PATH"."""
    spec = str(spec)
    if spec == "builtin":
        tasks = _yaml_dir(BUILTIN_DIR)
    elif spec.startswith("roboeval:"):
        from .roboeval import load_roboeval

        tasks = load_roboeval(spec[len("roboeval:"):])
    else:
        path = Path(spec).expanduser()
        if not path.is_dir():
            raise UserError(f"--tasks {spec!r}: expected 'builtin', 'roboeval:PATH' or a directory of YAML tasks")
        tasks = _yaml_dir(path)
    out: dict[str, Task] = {}
    for t in tasks:
        if t.name in out:
            raise UserError(f"task name {t.name!r} is defined twice ({out[t.name].source}, {t.source})")
        out[t.name] = t
    return out
