"""Which forbidden names a robot program uses only as its own function's variables.

Models write `input = ask(...)` or `object = "apple"`: a local variable that happens to share a
name with a builtin the policy forbids (policy.FORBIDDEN_NAMES). Rejecting it made valid programs
invalid (14 of 560 programs of one generation run; the RoboEval evaluator scored such completions
PythonError where RoboEval's own evaluator runs them). Inside a function a local variable is read
from the frame (unbound: UnboundLocalError) and a closure variable from its cell (unbound:
NameError), so neither can ever reach the builtin of that name. A name used at module or class
level, or declared global, is looked up in the globals and then the builtins (a conditional
assignment that did not run falls through to the builtin): it stays forbidden. The restricted
builtins the program runs with stay the second layer either way.
"""

from __future__ import annotations

import symtable


def function_locals(source: str, names: frozenset[str] | set[str]) -> set[str]:
    """The names of `names` that every scope of `source` using them has as a function's local or
    closure variable; any other use anywhere (module, class, global) keeps a name out. Empty when the
    source cannot be analysed (the caller's rejection then stands)."""
    try:
        top = symtable.symtable(source, "<program>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    own: set[str] = set()
    other: set[str] = set()
    stack = [top]
    while stack:
        table = stack.pop()
        stack.extend(table.get_children())
        function = table.get_type() == "function"
        for sym in table.get_symbols():
            name = sym.get_name()
            if name not in names:
                continue
            if function and (sym.is_local() or sym.is_free()) and not sym.is_global() \
                    and not sym.is_declared_global():
                own.add(name)
            else:
                other.add(name)
    return own - other
