"""Task source → a checked, metered code object, and a fresh task class per episode.

The static check is an allow-list for task modules: imports only of the stand-in names
(standins.IMPORTABLE), exactly one `class X(Task)` (no decorators, metaclasses or other
bases), at module level only imports, constants, functions and that class; no dunder names
or attributes; attributes only from an allow-list (`surface.ALLOWED_ATTRIBUTES`: the stand-ins'
members, the Task API, plain values' and arrays' computing methods) except on `self`; attribute
stores only to `self.x`; no `id` or `hash` (addresses); no assignment to modules, `Task` or `self`
itself, no generators, async, global/nonlocal or `with`. The sandbox's metering rewrite then counts
steps in every loop, function and comprehension, so an endless loop costs a verdict in a
deterministic number of steps. Code runs only in sandbox workers (`validate.worker.jobs`).
"""

from __future__ import annotations

import ast
import hashlib

from ...sandbox import Meter
from ...sandbox.policy import FORBIDDEN_NAMES
from .surface import ALLOWED_ATTRIBUTES, TASK_FORBIDDEN_NAMES

MAX_SOURCE_BYTES = 100_000
# What task files may import; each name resolves to a stand-in (standins.modules), never the module.
IMPORTABLE = ("numpy", "math", "random", "os", "typing", "copy", "IPython", "pybullet", "cliport.utils.utils", "cliport.utils",
              "cliport.tasks.primitives", "cliport.tasks.grippers", "cliport.tasks", "cliport.tasks.task",
              "roboinstruct.tabletop.task")
FILENAME = "<task>"
DENIED_ATTRIBUTES = {
    "tofile", "dump", "dumps", "ctypes", "save", "savez", "savez_compressed", "savetxt", "load", "loads",
    "memmap", "fromfile", "frombuffer", "format_map", "mro", "gi_frame", "gi_code", "f_back", "f_globals",
    "f_locals", "f_builtins", "f_code", "cr_frame", "ag_frame", "tb_frame", "tb_next", "co_code", "system",
    "popen", "environ", "modules",
}
TASK_NAMES = {"Task"}
ALLOWED_FORBIDDEN = {"super"}  # task classes call super().__init__() / super().reset(env)


class TaskRejected(Exception):
    """Static rejection: `stage` is 'parse' (not Python) or 'sandbox' (forbidden)."""

    def __init__(self, stage: str, message: str, line: int | None = None):
        super().__init__(message)
        self.stage, self.message, self.line = stage, message, line

    def reason(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def code_hash(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8", "replace")).hexdigest()[:16]


class _Checker(ast.NodeVisitor):
    def __init__(self):
        self.imported: set[str] = set()
        self.in_class = 0
        self.self_args: set[int] = set()  # ids of the `self` parameters of the task class's methods

    def reject(self, node, message):
        raise TaskRejected("sandbox", message, getattr(node, "lineno", None))

    # -- module shape ----------------------------------------------------------------------
    def check_module(self, tree: ast.Module) -> str:
        classes = []
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self.visit(node)  # imports first: a forbidden import is the most useful message
                continue
            if isinstance(node, ast.ClassDef):
                classes.append(node)
            elif isinstance(node, ast.FunctionDef):
                continue
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # a docstring
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and _constant(node.value):
                continue
            else:
                self.reject(node, "at module level a task file may only hold imports, constants, functions "
                                  "and its Task class")
        if len(classes) != 1:
            raise TaskRejected("sandbox", f"a task file must define exactly one class (a subclass of Task); "
                                          f"found {len(classes)}", classes[1].lineno if len(classes) > 1 else None)
        cls = classes[0]
        if cls.decorator_list or cls.keywords or len(cls.bases) != 1 or not _is_task(cls.bases[0]):
            self.reject(cls, f"class {cls.name} must be declared as `class {cls.name}(Task):` "
                             f"(no other bases, decorators or metaclass)")
        for item in cls.body:
            if isinstance(item, ast.FunctionDef) and item.args.args and item.args.args[0].arg == "self":
                self.self_args.add(id(item.args.args[0]))
        for item in cls.body:
            if isinstance(item, (ast.FunctionDef, ast.Pass)) or (isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant)):
                continue
            if isinstance(item, (ast.Assign, ast.AnnAssign)) and _constant(item.value):
                continue
            self.reject(item, "a Task class body may only hold methods, constants and a docstring")
        for node in tree.body:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                self.visit(node)
        return cls.name

    # -- names and attributes --------------------------------------------------------------
    def visit_Name(self, node: ast.Name):
        if node.id.startswith("__") or (node.id in FORBIDDEN_NAMES and node.id not in ALLOWED_FORBIDDEN) \
                or node.id in TASK_FORBIDDEN_NAMES:
            self.reject(node, f"name {node.id!r} is not available to task code")
        if node.id == "self" and isinstance(node.ctx, (ast.Store, ast.Del)):
            self.reject(node, "assigning to `self` is not allowed")
        if isinstance(node.ctx, ast.Store) and (node.id in self.imported or node.id in TASK_NAMES):
            self.reject(node, f"rebinding the imported name {node.id!r} is not allowed")

    def visit_Attribute(self, node: ast.Attribute):
        attr = node.attr
        on_self = isinstance(node.value, ast.Name) and node.value.id == "self"
        if attr.startswith("__") and not (attr == "__init__" and _is_super_call(node.value)):
            self.reject(node, f"attribute {attr!r} is not available to task code")
        if attr in DENIED_ATTRIBUTES:
            self.reject(node, f"attribute {attr!r} is not available to task code (no files, pickles or raw memory)")
        if attr.startswith("_") and not on_self and not (attr == "__init__" and _is_super_call(node.value)):
            # super() reaches the base classes' private members as self would: only its __init__
            self.reject(node, f"private attribute {attr!r} may only be used on self")
        if not on_self and not attr.startswith("_") and attr not in ALLOWED_ATTRIBUTES:
            # an allow-list, not a deny-list: what an object behind a name happens to have (an
            # array's view/data/base, a function's or a frame's members) is not task code's surface
            self.reject(node, f"attribute {attr!r} is not available to task code (only the stand-ins' members, "
                              f"the Task API and plain values' methods; any name on self)")
        if attr in ("format", "astype") and not getattr(node, "_called", False):
            self.reject(node, f"'.{attr}' may only be called directly (x.{attr}(...))")
        if isinstance(node.ctx, (ast.Store, ast.Del)) and not on_self:
            # the only objects task code owns are its task and plain values: a store anywhere else
            # reaches something shared (a stand-in, a marker, the Task class, a helper)
            self.reject(node, f"assigning to attributes is only allowed on self (self.{attr} = ...)")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "astype"):
            node.func._called = True
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import):
        for a in node.names:
            if a.name not in IMPORTABLE:
                self.reject(node, f"import of {a.name!r} is not allowed; task files may import "
                                  f"{', '.join(n for n in IMPORTABLE if '.' not in n or n.startswith('cliport.utils'))} "
                                  f"and the cliport task modules")
            self._bind(node, a.asname or a.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom):
        if node.level or node.module not in IMPORTABLE and f"{node.module}" not in ("cliport",):
            self.reject(node, f"import from {node.module!r} is not allowed")
        for a in node.names:
            if a.name == "*":
                self.reject(node, "star imports are not allowed")
            if a.name.startswith("_"):
                self.reject(node, f"importing {a.name!r} is not allowed")
            self._bind(node, a.asname or a.name)

    def _bind(self, node, name: str):
        if name.startswith("__"):
            self.reject(node, f"name {name!r} is not allowed")
        self.imported.add(name)

    def visit_arg(self, node: ast.arg):
        if node.arg.startswith("__"):
            self.reject(node, f"argument name {node.arg!r} is not allowed")
        if node.arg == "self" and id(node) not in self.self_args:
            # `self` unlocks private attributes, so only the task's own methods may bind it
            self.reject(node, "only the first parameter of a task method may be named self")
        self.generic_visit(node)

    def visit_MatchClass(self, node):
        for attr in node.kwd_attrs:
            if attr.startswith("_") or attr in DENIED_ATTRIBUTES or attr in ("format",) or attr not in ALLOWED_ATTRIBUTES:
                self.reject(node, f"attribute {attr!r} is not available to task code")
        self.generic_visit(node)

    def visit_MatchAs(self, node):
        if node.name == "self":
            self.reject(node, "assigning to `self` is not allowed")
        if node.name and node.name.startswith("__"):
            self.reject(node, f"name {node.name!r} is not allowed")
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler):
        if node.name == "self":
            self.reject(node, "assigning to `self` is not allowed")
        if node.name and node.name.startswith("__"):
            self.reject(node, f"name {node.name!r} is not allowed")
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef):
        if node.decorator_list:
            self.reject(node, "decorators are not allowed in task code")
        if node.name.startswith("__") and node.name != "__init__":
            self.reject(node, f"method {node.name!r} is not allowed (only __init__ among dunder methods)")
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef):
        if self.in_class:
            self.reject(node, "nested classes are not allowed")
        self.in_class += 1
        self.generic_visit(node)
        self.in_class -= 1

    def _forbid(self, what):
        def visit(self, node):
            self.reject(node, f"{what} are not allowed in task code")
        return visit

    visit_AsyncFunctionDef = visit_Await = _forbid(None, "async functions")
    visit_Yield = visit_YieldFrom = _forbid(None, "generators (yield)")
    visit_Global = visit_Nonlocal = _forbid(None, "global/nonlocal statements")
    visit_With = visit_AsyncWith = _forbid(None, "with statements")
    visit_AsyncFor = _forbid(None, "async loops")


def _is_task(node) -> bool:
    return (isinstance(node, ast.Name) and node.id == "Task") or (isinstance(node, ast.Attribute) and node.attr == "Task")


def _is_super_call(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _constant(node) -> bool:
    """A literal (numbers, strings, tuples/lists/dicts of them, unary minus)."""
    if node is None:
        return True
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _constant(node.operand)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_constant(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(_constant(k) and _constant(v) for k, v in zip(node.keys, node.values))
    return False


class _Astype(ast.NodeTransformer):
    """`x.astype(...)` -> `__astype__(x, ...)`: an array's own method, checked by the worker's
    `taskapi.numpy_guard.astype` (no object or raw-byte dtype), which the runtime binds to the name."""

    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "astype":
            return ast.copy_location(ast.Call(ast.Name("__astype__", ast.Load()), [node.func.value, *node.args],
                                              node.keywords), node)
        return node


def rewritten(tree: ast.Module) -> ast.Module:
    """The checked tree as it runs: metered (sandbox.Meter), `.astype` calls through the guard."""
    return ast.fix_missing_locations(_Astype().visit(Meter().visit(tree)))


def check_task(source: str) -> tuple[object, str]:
    """(code object, class name), or raises TaskRejected('parse'|'sandbox', ...)."""
    if not isinstance(source, str) or len(source.encode("utf-8", "replace")) > MAX_SOURCE_BYTES:
        raise TaskRejected("sandbox", f"task source must be text under {MAX_SOURCE_BYTES} bytes")
    try:
        tree = ast.parse(source, FILENAME)
    except SyntaxError as e:
        raise TaskRejected("parse", f"SyntaxError: {e.msg}", e.lineno) from None
    except (RecursionError, MemoryError, ValueError) as e:
        raise TaskRejected("parse", f"cannot be parsed safely: {type(e).__name__}") from None
    try:
        name = _Checker().check_module(tree)
        code = compile(rewritten(tree), FILENAME, "exec")
    except SyntaxError as e:
        raise TaskRejected("parse", f"SyntaxError: {e.msg}", e.lineno) from None
    except RecursionError:
        raise TaskRejected("sandbox", "the task is nested too deeply to check safely") from None
    except (ValueError, TypeError, MemoryError, OverflowError) as e:  # the compiler's other refusals
        raise TaskRejected("parse", f"cannot be compiled: {type(e).__name__}: {e}"[:300]) from None
    return code, name
