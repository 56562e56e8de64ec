"""Running a checked program once: restricted builtins, shims, step metering, classification.

Shared by every simulator (RoboSim's open world, the benchmark's concrete worlds): they
supply a *host* — the API callables, a step `Budget`, a simulated clock and an output
sink — and get back what went wrong, if anything, as (error kind, message, line).
"""

from __future__ import annotations

import builtins as _py_builtins
import collections
import math
import random as _random
import re
import sys
from types import SimpleNamespace

from .policy import (
    SAFE_BUILTIN_NAMES,
    SAFE_EXCEPTIONS,
    SHIM_MODULES,
    CheckedProgram,
    SandboxViolation,
    safe_format,
)

OUTPUT_LIMIT = 64_000


class RobotError(BaseException):
    """An error a host's API raises (a robot or simulator refusing a call); `kind` names it in
    verdicts. BaseException so a program's `except Exception` cannot hide it."""

    def __init__(self, message: str, kind: str = "RobotExecutionError"):
        super().__init__(message)
        self.message = message
        self.kind = kind


class StepBudgetExceeded(BaseException):
    """The program used more steps (API calls + loop iterations + calls) than allowed."""


class Budget:
    __slots__ = ("n", "limit")

    def __init__(self, limit: int):
        self.n = 0
        self.limit = limit

    def step(self) -> None:
        self.n += 1
        if self.n > self.limit:
            raise StepBudgetExceeded(f"step budget of {self.limit} exceeded (API calls + loop iterations + calls)")


class Host:
    """What a simulator lends a program run. Subclasses fill `api` and may override `sleep`."""

    def __init__(self, step_limit: int):
        self.budget = Budget(step_limit)
        self.api: dict = {}
        self.clock = 0.0
        self.output: list[str] = []
        self.output_size = 0
        self.shims: dict = {}
        self.program_error: BaseException | None = None  # an exception the API means the program to see

    def sleep(self, seconds: float = 0) -> None:
        self.budget.step()
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            raise TypeError(f"sleep() argument must be a number, not {type(seconds).__name__}")
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        self.clock += seconds

    def new_run(self) -> None:
        self.budget.n = 0
        self.output = []
        self.output_size = 0

    def write(self, text: str) -> None:
        room = OUTPUT_LIMIT - self.output_size
        if room > 0:
            self.output.append(text[:room])
            self.output_size += min(len(text), room)


MESSAGE_LIMIT = 2000
# Frames an API call may use above wherever the program called it from: a program that recurses to
# a few frames below the limit and then calls the API must still get the robot's own error, never a
# RecursionError raised inside the API (which it could catch, hiding the robot error).
API_HEADROOM = 250


def api_callable(host: Host, name: str, params, impl):
    """Wrap `impl(*args)` (an API function's body) as the callable a program sees.

    Arguments bind with Python's own rules (a wrong call is the program's TypeError). Inside the
    call the recursion limit is raised by API_HEADROOM, and any exception the body raises that is
    not a robot error, a budget stop, a sandbox violation or an exception the host deliberately
    shows the program (`host.program_error`, e.g. RoboEval's catchable errors) becomes a
    RobotError: whatever happens inside the robot's API, the program cannot catch it.
    """
    params = list(params)
    nparams = len(params)
    getlimit, setlimit = sys.getrecursionlimit, sys.setrecursionlimit

    def api_call(*args, **kwargs):
        limit = getlimit()
        setlimit(limit + API_HEADROOM)
        try:
            if kwargs or len(args) != nparams:
                try:
                    args = bind_arguments(name, params, args, kwargs)
                except TypeError as e:
                    host.program_error = e
                    raise
            return impl(*args)
        except (RobotError, StepBudgetExceeded, SandboxViolation, KeyboardInterrupt):
            raise
        except BaseException as e:  # noqa: BLE001 - see the docstring
            if e is host.program_error:
                raise
            raise internal_error(name, e) from None
        finally:
            setlimit(limit)

    api_call.__name__ = api_call.__qualname__ = name
    return api_call


def internal_error(name: str, exc: BaseException) -> RobotError:
    if isinstance(exc, MemoryError):
        return RobotError("memory limit exceeded", kind="SandboxError")
    return RobotError(f"RobotInternalError: {name}() failed inside the robot API ({type(exc).__name__})")


def _safe_type(obj):
    # One-argument form only, and never the metaclass: type(int)("X", (), {...}) makes classes.
    if isinstance(obj, type):
        raise SandboxViolation("type() of a class is not available in robot programs")
    return type(obj)


def _builtins(host: Host) -> dict:
    table = {n: getattr(_py_builtins, n) for n in SAFE_BUILTIN_NAMES + SAFE_EXCEPTIONS}
    table["type"] = _safe_type

    def _print(*args, sep=" ", end="\n", **_ignored):
        host.write(str(sep).join(str(a) for a in args) + str(end))

    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        # Only the shims exist; the static check already refused every other import.
        shim = host.shims.get(name)
        if shim is None or level:
            raise SandboxViolation(f"import of {name!r} is not allowed")
        return shim

    table["print"] = _print
    table["__import__"] = _import
    return table


def _shims(host: Host, seed: int) -> dict:
    time_shim = SimpleNamespace(sleep=host.sleep, time=lambda: 1_700_000_000.0 + host.clock,
                                monotonic=lambda: host.clock, perf_counter=lambda: host.clock)
    rng = _random.Random(seed)
    return {
        "time": time_shim,
        "math": SimpleNamespace(**{n: getattr(math, n) for n in SHIM_MODULES["math"]}),
        "random": SimpleNamespace(**{n: getattr(rng, n) for n in SHIM_MODULES["random"]}),
        "re": SimpleNamespace(**{n: getattr(re, n) for n in SHIM_MODULES["re"]}),
        "collections": SimpleNamespace(**{n: getattr(collections, n) for n in SHIM_MODULES["collections"]}),
    }


def _loop(budget: Budget):
    step = budget.step

    def metered(iterable):
        for item in iterable:
            step()
            yield item

    return metered


def base_env(host: Host) -> dict:
    """The per-program part of a run's globals (built once, copied per run)."""
    return {"__builtins__": _builtins(host), **host.api, "__step__": host.budget.step,
            "__loop__": _loop(host.budget), "__format__": safe_format}


def program_line(exc: BaseException) -> int | None:
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<program>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def classify(exc: BaseException) -> tuple[str, str, int | None]:
    kind, message, line = _classify(exc)
    if len(message) > MESSAGE_LIMIT:  # a program controls its exception text: bound it
        message = message[:MESSAGE_LIMIT] + f"... [{len(message) - MESSAGE_LIMIT} more characters]"
    return kind, message, line


def _classify(exc: BaseException) -> tuple[str, str, int | None]:
    line = program_line(exc)
    if isinstance(exc, RobotError):
        return exc.kind, exc.message, line
    if isinstance(exc, StepBudgetExceeded):
        return "StepBudgetExceeded", str(exc), line
    if isinstance(exc, SandboxViolation):
        return "SandboxError", str(exc), line
    if isinstance(exc, MemoryError):
        return "SandboxError", "memory limit exceeded", line
    if isinstance(exc, RecursionError):
        return "PythonError", "RecursionError: maximum recursion depth exceeded", line
    text = str(exc)
    return "PythonError", f"{type(exc).__name__}: {text}" if text else type(exc).__name__, line


def run_once(checked: CheckedProgram, host: Host, base: dict, seed: int = 0) -> tuple[str, str, int | None] | None:
    """Execute the program's module and call its entry; None when it finished cleanly."""
    host.new_run()
    host.shims = _shims(host, seed)
    env = dict(base)
    env.update(host.shims)
    try:
        exec(checked.code, env)
        env[checked.entry]()
        if host.budget.n > host.budget.limit:  # the stop was swallowed somehow: still a stop
            raise StepBudgetExceeded(f"step budget of {host.budget.limit} exceeded")
    except BaseException as exc:  # noqa: BLE001 - everything a program raises is a verdict
        return classify(exc)
    return None


def bind_arguments(name: str, names: list[str], args: tuple, kwargs: dict) -> tuple:
    """Positional arguments of a call to API function `name(*names)`, with Python's own
    arity/keyword rules, so a wrong call is an ordinary TypeError in the program."""
    if len(args) > len(names):
        raise TypeError(f"{name}() takes {len(names)} positional argument{'s' if len(names) != 1 else ''} "
                        f"but {len(args)} were given")
    bound = list(args)
    for pname in names[len(args):]:
        if pname not in kwargs:
            missing = [n for n in names[len(bound):] if n not in kwargs]
            raise TypeError(f"{name}() missing {len(missing)} required argument(s): "
                            f"{', '.join(repr(m) for m in missing)}")
        bound.append(kwargs.pop(pname))
    if kwargs:
        extra = next(iter(kwargs))
        if extra in names:
            raise TypeError(f"{name}() got multiple values for argument {extra!r}")
        raise TypeError(f"{name}() got an unexpected keyword argument {extra!r}")
    return tuple(bound)
