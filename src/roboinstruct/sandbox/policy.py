"""The static half of the sandbox: an AST allow-list, a rewrite that meters steps, compile.

Untrusted programs are checked before anything runs. What is allowed is a `Policy` — the
names a domain lends its programs (its API), the entry function, whether unbound names are
rejected up front — plus a fixed set of harmless builtins, shim modules (`time`, `math`,
`random`), and the *public methods of plain data types* as the only attribute names — so
frame walks (`gi_frame`, `f_globals`), dunder walks and private module members are
unreachable by construction rather than by a deny-list.

The rewrite inserts `__step__()` into every loop body and function body (and meters
comprehension items through `__loop__`), routes `str.format` through a checker, and turns
bare `except:` into `except Exception:` so a program cannot swallow the step budget.
"""

from __future__ import annotations

import ast
import hashlib
import string
from collections import OrderedDict
from dataclasses import dataclass, field

from .scopes import function_locals

MAX_SOURCE_BYTES = 200_000


class SandboxViolation(BaseException):
    """The program tried something the sandbox forbids (raised statically or at run time)."""


SAFE_BUILTIN_NAMES = (
    "abs all any bool callable chr dict divmod enumerate filter float format frozenset hash "
    "int isinstance iter len list map max min next ord pow print range repr reversed round set "
    "slice sorted str sum tuple type zip id"
).split()
SAFE_EXCEPTIONS = (
    "Exception ArithmeticError AssertionError AttributeError IndexError KeyError LookupError "
    "NameError NotImplementedError OverflowError RecursionError RuntimeError StopIteration "
    "TimeoutError TypeError UnboundLocalError ValueError ZeroDivisionError OSError IOError EOFError "
    "FileNotFoundError PermissionError ConnectionError ImportError ModuleNotFoundError Warning "
    "UserWarning IndentationError SyntaxError UnicodeError"
).split()
FORBIDDEN_NAMES = set(
    "open exec eval compile __import__ globals locals getattr setattr delattr hasattr vars input "
    "breakpoint memoryview help exit quit dir object super classmethod staticmethod property "
    "BaseException SystemExit KeyboardInterrupt GeneratorExit __builtins__ __loader__ __spec__".split()
)
# Shim modules: name -> attributes a program may use.
SHIM_MODULES = {
    "time": {"sleep", "time", "monotonic", "perf_counter"},
    "math": {"ceil", "floor", "sqrt", "inf", "pi", "e", "isclose", "fabs", "log", "exp", "trunc", "fsum", "prod", "gcd"},
    "random": {"random", "randint", "choice", "shuffle", "sample", "uniform", "randrange", "seed", "choices"},
    "re": {"search", "match", "fullmatch", "findall", "finditer", "sub", "split", "escape", "compile",
           "IGNORECASE", "I", "MULTILINE", "M"},
    "collections": {"defaultdict", "Counter", "deque", "OrderedDict"},
}
# Methods of the objects those shims hand out (regex matches/patterns, Counter, deque).
SHIM_OBJECT_METHODS = {"group", "groups", "groupdict", "start", "end", "span", "most_common",
                       "elements", "subtract", "appendleft", "popleft", "extendleft", "rotate", "maxlen"}


def _public(*types) -> set[str]:
    return {n for t in types for n in dir(t) if not n.startswith("_")}


ALLOWED_ATTRIBUTES = (_public(str, list, dict, set, frozenset, tuple, int, float, bool, bytes) | {"args"}
                      | SHIM_OBJECT_METHODS | set().union(*SHIM_MODULES.values())) - {"format_map", "mro"}


@dataclass(frozen=True)
class Policy:
    """What one domain's programs may use beyond the fixed safe core.

    `name` identifies the domain in compile caches; `static_names`: a name bound nowhere in
    the program is rejected up front (a verifier's choice: it is a bug on whatever path
    reaches it) or left a NameError when the line runs (an evaluator's choice, like Python)."""

    name: str
    api_names: frozenset = frozenset()
    entry: str = "task_program"
    static_names: bool = True
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "api_names", frozenset(self.api_names))
        blob = f"{self.name}\0{sorted(self.api_names)}\0{self.entry}\0{self.static_names}"
        object.__setattr__(self, "key", hashlib.sha256(blob.encode("utf-8", "replace")).hexdigest())


class CheckedProgram:
    """A program that passed the policy: its compiled code, and its checked tree before rewriting
    (for room synthesis), parsed again only when asked for: most runs (the evaluator's) never do."""

    def __init__(self, code, source: str, entry: str):
        self.code, self.source, self.entry = code, source, entry
        self._tree: ast.Module | None = None

    @property
    def tree(self) -> ast.Module:
        if self._tree is None:
            self._tree = ast.parse(self.source, "<program>")
        return self._tree


class ProgramRejected(Exception):
    """Static rejection: `kind` is PythonError (not valid Python) or SandboxError (forbidden)."""

    def __init__(self, kind: str, message: str, line: int | None):
        super().__init__(message)
        self.kind, self.message, self.line = kind, message, line


def _bound_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
    return names


class _Checker(ast.NodeVisitor):
    def __init__(self, policy: Policy):
        self.static_names = policy.static_names
        self.known = set(SAFE_BUILTIN_NAMES) | set(SAFE_EXCEPTIONS) | set(policy.api_names) \
            | set(SHIM_MODULES) | {"True", "False", "None"}
        self.bound, self.source = set(), ""
        self.own: set[str] | None = None  # forbidden names used only as a function's variables (scopes.py)
        self.in_finally = 0
        # names that start out bound to something shared by every run (builtins, shims, the API)
        self.shared = set(SAFE_BUILTIN_NAMES) | set(SAFE_EXCEPTIONS) | set(policy.api_names) | set(SHIM_MODULES)

    def reject(self, node: ast.AST, msg: str, kind: str = "SandboxError"):
        raise ProgramRejected(kind, msg, getattr(node, "lineno", None))

    def visit_Name(self, node: ast.Name):
        if node.id in FORBIDDEN_NAMES and self.own is None:  # only programs that use such a name pay for it
            self.own = function_locals(self.source, FORBIDDEN_NAMES)
        if (node.id in FORBIDDEN_NAMES and node.id not in self.own) or node.id.startswith("__"):
            self.reject(node, f"name {node.id!r} is not allowed in robot programs")
        if self.static_names and isinstance(node.ctx, ast.Load) and node.id not in self.known \
                and node.id not in self.bound:
            self.reject(node, f"NameError: name {node.id!r} is not defined", "PythonError")

    def visit_Attribute(self, node: ast.Attribute):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            # Programs own no objects with attributes; a store could only reach shared objects
            # (a shim's real stdlib class, an API callable) and outlive this program.
            self.reject(node, f"assigning to or deleting an attribute ('.{node.attr}') is not allowed in robot programs")
        if node.attr in ("format", "format_map"):
            self.reject(node, f"'.{node.attr}' may only be called directly on a string")
        self._check_attribute(node, node.attr)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            root = node.value
            while isinstance(root, ast.Subscript):
                root = root.value
            # only the program's own containers: `x[k] = v`, `x[i][j] = v` on a name it bound
            if not isinstance(root, ast.Name) or root.id in self.shared:
                self.reject(node, "item assignment is only allowed on the program's own variables")
        self.generic_visit(node)

    def _check_attribute(self, node: ast.AST, attr: str) -> None:
        if attr.startswith("_"):
            self.reject(node, f"attribute {attr!r} is private; robot programs may not use it")
        if attr not in ALLOWED_ATTRIBUTES:
            self.reject(node, f"attribute {attr!r} is not allowed (only methods of str/list/dict/set/"
                              f"numbers and of the shim modules are)")

    def _bound(self, node: ast.AST, name: str | None) -> None:
        # Binding a dunder name could rebind the injected hooks (__step__, __loop__, ...)
        if name and name.startswith("__"):
            self.reject(node, f"name {name!r} is not allowed in robot programs")

    def visit_alias(self, node: ast.alias):
        self._bound(node, node.asname or node.name.split(".")[0])

    def visit_arg(self, node: ast.arg):
        self._bound(node, node.arg)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler):
        self._bound(node, node.name)
        self.generic_visit(node)

    def visit_Global(self, node):
        for n in node.names:
            self._bound(node, n)

    visit_Nonlocal = visit_Global

    def visit_MatchAs(self, node):
        self._bound(node, node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node):
        self._bound(node, node.name)

    def visit_MatchMapping(self, node):
        self._bound(node, node.rest)
        self.generic_visit(node)

    def visit_MatchClass(self, node):
        # `case str(format=f)` reads attributes by name without an Attribute node
        for attr in node.kwd_attrs:
            self._check_attribute(node, attr)
            if attr in ("format", "format_map"):
                self.reject(node, f"'.{attr}' may only be called directly on a string")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            self.visit(node.func.value)  # `.format` is fine as a call; checked again at run time
            for a in [*node.args, *node.keywords]:
                self.visit(a)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import):
        for a in node.names:
            self.visit_alias(a)
            if a.name not in SHIM_MODULES:
                self.reject(node, f"import of {a.name!r} is not allowed; only {', '.join(sorted(SHIM_MODULES))} can be imported")

    def visit_ImportFrom(self, node: ast.ImportFrom):
        if node.module not in SHIM_MODULES or node.level:
            self.reject(node, f"import from {node.module!r} is not allowed; only {', '.join(sorted(SHIM_MODULES))} can be imported")
        for a in node.names:
            self.visit_alias(a)
            if a.name not in SHIM_MODULES[node.module]:
                self.reject(node, f"{node.module}.{a.name} is not available in robot programs")

    def visit_Try(self, node: ast.Try):
        for stmt in node.body + node.orelse:
            self.visit(stmt)
        for h in node.handlers:
            self.visit(h)
        self.in_finally += 1
        for stmt in node.finalbody:
            self.visit(stmt)
        self.in_finally -= 1

    visit_TryStar = visit_Try

    def _flow(self, node):
        if self.in_finally:
            self.reject(node, "break/continue/return inside 'finally' is not allowed (it can swallow errors)")
        self.generic_visit(node)

    visit_Break = visit_Continue = visit_Return = _flow

    def visit_FunctionDef(self, node: ast.FunctionDef):
        if node.name.startswith("__"):
            self.reject(node, f"function name {node.name!r} is not allowed")
        saved, self.in_finally = self.in_finally, 0  # a return inside a nested def is fine
        self.generic_visit(node)
        self.in_finally = saved

    def visit_Lambda(self, node: ast.Lambda):
        saved, self.in_finally = self.in_finally, 0
        self.generic_visit(node)
        self.in_finally = saved

    def generic_visit(self, node):
        t = type(node).__name__
        if t in _FORBIDDEN_NODES:
            self.reject(node, f"{_FORBIDDEN_NODES[t]} are not allowed in robot programs")
        super().generic_visit(node)


_FORBIDDEN_NODES = {
    "ClassDef": "class definitions", "AsyncFunctionDef": "async functions", "Await": "await expressions",
    "AsyncFor": "async loops", "AsyncWith": "async with blocks", "With": "with blocks",
    "Yield": "generators (yield)", "YieldFrom": "generators (yield from)",
}


class Meter(ast.NodeTransformer):
    """Insert step counting and the runtime format check (`__step__`, `__loop__`, `__format__`
    are the host's to bind); also used by domains whose programs are whole modules."""

    @staticmethod
    def _step(node: ast.AST) -> ast.stmt:
        call = ast.Expr(ast.Call(ast.Name("__step__", ast.Load()), [], []))
        return ast.copy_location(call, node)

    def _body(self, node):
        self.generic_visit(node)
        node.body.insert(0, self._step(node))
        return node

    visit_While = visit_For = visit_FunctionDef = _body

    def visit_Lambda(self, node: ast.Lambda):
        self.generic_visit(node)
        step = ast.Call(ast.Name("__step__", ast.Load()), [], [])
        node.body = ast.Subscript(ast.Tuple([step, node.body], ast.Load()), ast.Constant(1), ast.Load())
        return node

    def visit_comprehension(self, node: ast.comprehension):
        self.generic_visit(node)
        node.iter = ast.Call(ast.Name("__loop__", ast.Load()), [node.iter], [])
        return node

    def visit_ExceptHandler(self, node: ast.ExceptHandler):
        self.generic_visit(node)
        if node.type is None:
            node.type = ast.Name("Exception", ast.Load())
        return node

    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return ast.Call(ast.Name("__format__", ast.Load()), [node.func.value, *node.args], node.keywords)
        return node


def _check_format_string(fmt: str, depth: int = 0) -> None:
    for _text, name, spec, _conv in string.Formatter().parse(fmt):
        if name and any(c in name for c in ".["):
            raise SandboxViolation(f"format field {{{name}}} uses attribute or index access, which is not allowed")
        if spec and depth < 2:
            _check_format_string(spec, depth + 1)


def safe_format(fmt, *args, **kwargs):
    """`fmt.format(...)` for strings only, without `{0.attr}` / `{0[key]}` lookups."""
    if not isinstance(fmt, str):
        raise SandboxViolation("'.format' is only allowed on strings")
    _check_format_string(fmt)
    return fmt.format(*args, **kwargs)


def check_program(source: str, policy: Policy) -> CheckedProgram:
    """Parse, check against the policy's allow-list, rewrite and compile; raises ProgramRejected."""
    entry = policy.entry
    if len(source.encode("utf-8", "replace")) > MAX_SOURCE_BYTES:
        raise ProgramRejected("SandboxError", f"program is larger than {MAX_SOURCE_BYTES} bytes", None)
    try:
        tree = ast.parse(source, "<program>")
    except SyntaxError as e:
        raise ProgramRejected("PythonError", f"{type(e).__name__}: {e.msg}", e.lineno) from None
    except (RecursionError, MemoryError, ValueError) as e:
        raise ProgramRejected("SandboxError", f"program cannot be parsed safely: {type(e).__name__}", None) from None
    try:
        checker = _Checker(policy)
        checker.bound, checker.source = _bound_names(tree), source
        checker.visit(tree)
        if not any(isinstance(n, ast.FunctionDef) and n.name == entry for n in tree.body):
            raise ProgramRejected("PythonError", f"the program does not define 'def {entry}():'", None)
        fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == entry)
        if len(fn.args.args) - len(fn.args.defaults) > 0 or fn.args.kwonlyargs and \
                any(d is None for d in fn.args.kw_defaults):
            raise ProgramRejected("PythonError", f"'{entry}' must be callable without arguments", fn.lineno)
        metered = ast.fix_missing_locations(Meter().visit(tree))
        code = compile(metered, "<program>", "exec")
    except SyntaxError as e:  # valid to the parser, not to the compiler (e.g. top-level nonlocal)
        raise ProgramRejected("PythonError", f"SyntaxError: {e.msg}", e.lineno) from None
    except RecursionError:
        raise ProgramRejected("SandboxError", "program is nested too deeply to check safely", None) from None
    return CheckedProgram(code, source, entry)


class ProgramCache:
    """Compile once per (policy, source): keyed by a hash of both."""

    def __init__(self, size: int = 2048):
        self.size = size
        self._items: OrderedDict[str, object] = OrderedDict()

    def get(self, source: str, policy: Policy):
        """The CheckedProgram, or the ProgramRejected explaining why not (never raises)."""
        key = hashlib.sha256(f"{policy.key}\0{source}".encode("utf-8", "replace")).hexdigest()
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            return hit
        try:
            value = check_program(source, policy)
        except ProgramRejected as e:
            value = e
        self._items[key] = value
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return value
