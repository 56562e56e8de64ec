"""Program intake: find `def task_program():` in raw LLM text and return clean source.

Models wrap code in markdown fences, chat preambles and trailing prose, call the
function at the end, or slip indentation. We keep the function plus the top-level code
that belongs with it (imports, helper functions, constants) and nothing else. A text
with no usable function gives an `Extraction` with `error` and `line`, never an exception.
"""

from __future__ import annotations

import ast
import codeop
import re
import textwrap
import warnings
from dataclasses import dataclass
from itertools import accumulate

# The opener's info string is read possessively and stops at a backtick (CommonMark: none in a backtick
# fence's info string): "```" and a long run of word characters without a newline cost one pass, not
# one per way of splitting the run (quadratic: 8,000 characters took 0.3 s, 100,000 ~47 s)
_FENCE = re.compile(r"```[ \t]*+([\w+-]*+)[^\n`]*+\n(.*?)(?:```|\Z)", re.S)
# Characters the search for a function's companions above it may parse, per text. That search tries
# each earlier line as the start of a run of code; on prose it parsed the rest again from every line
# (8 KB of "Note: x" lines took 9.5 s, 32 KB four minutes, in the parent before any sandbox limit).
# A start where the line alone is invalid (prose) is not parsed on (`_can_start`); texts a model writes stay
# far below the budget; past it (about a second of parsing) the function keeps the companions found so far.
PARSE_BUDGET = 500_000


@dataclass(frozen=True)
class Extraction:
    code: str | None
    error: str | None = None
    line: int | None = None

    @property
    def ok(self) -> bool:
        return self.code is not None and self.error is None


def _blocks(text: str, entry: str) -> list[str]:
    """Candidate code blocks, best first: fenced blocks that define the entry, then the raw text."""
    fenced = [m.group(2) for m in _FENCE.finditer(text)]
    with_entry = [b for b in fenced if f"def {entry}" in b]
    return with_entry + ([text] if text not in with_entry else [])


def _is_driver(node: ast.stmt, entry: str) -> bool:
    """A top-level statement that runs the entry (`task_program()`, `x = task_program()`,
    `if __name__ == "__main__": ...`): models add these; the verifier calls the entry itself."""
    if isinstance(node, ast.If) and "__name__" in ast.unparse(node.test):
        return True
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == entry
               for n in ast.walk(node))


def _is_code(nodes: list[ast.stmt]) -> bool:
    """Parsed lines that are code, not prose that happens to parse ("Note", "Output: 3")."""
    for n in nodes:
        if isinstance(n, ast.Expr) and not isinstance(n.value, ast.Call) \
                and not (isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)):
            return False
        if isinstance(n, ast.AnnAssign) and n.value is None:  # "Explanation: it works" parses as this
            return False
    return True


def _span(lines: list[str], start: int) -> int:
    """End (exclusive) of the top-level statement starting at `start`: its indented body."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][:1] in " \t" or lines[end].lstrip().startswith(("#", ")", "]"))):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _cut(code: str, entry: str, budget: list[int]) -> str | None:
    """The entry function and its companions; None if the entry cannot be found. `budget`: characters
    left to parse (PARSE_BUDGET, shared by a text's blocks), spent here."""
    lines = code.split("\n")
    heads = [i for i, ln in enumerate(lines) if re.match(rf"\s*def\s+{entry}\s*\(", ln)]
    if not heads:
        return None
    head = heads[-1]
    indent = len(lines[head]) - len(lines[head].lstrip())
    if indent:  # the whole snippet is indented (or a slip): dedent from the def on
        lines = lines[:head] + textwrap.dedent("\n".join(lines[head:])).split("\n")
    end = _span(lines, head)
    # after the function: keep helper functions and constants, stop at prose
    i = end
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        stop = _span(lines, i)
        chunk = "\n".join(lines[i:stop])
        try:
            nodes = ast.parse(chunk).body
        except SyntaxError:
            break
        if not _is_code(nodes):
            break
        end = i = stop
    # before the function: its decorators, then the longest run of lines that is code
    start = head
    while start > 0 and lines[start - 1].lstrip().startswith("@"):
        start -= 1
    ends = list(accumulate(len(ln) + 1 for ln in lines[:start]))  # what parsing from line j on reads
    j = 0
    while j < start and budget[0] > 0:
        k = j  # blank and comment lines parse as the line after them does: one parse for the run
        while k < start and (not lines[k].strip() or lines[k].lstrip().startswith("#")):
            k += 1
        if k == start:  # nothing but comments from j on: they stay with the function
            start = j
            break
        if not _can_start(lines[k]):
            j = k + 1
            continue
        budget[0] -= ends[start - 1] - (ends[k - 1] if k else 0)  # a parse reads it all, whatever it finds
        try:
            nodes = ast.parse("\n".join(lines[k:start])).body
        except SyntaxError:
            j = k + 1
            continue
        if _is_code(nodes):
            start = j
            break
        # prose that parses ("Note: x"): a run of code starts after its last such statement
        j = k + max(1, max(n.end_lineno for n in nodes if not _is_code([n])))
    return "\n".join(lines[start:end]).strip("\n") + "\n"


_LINE = ast.PyCF_ONLY_AST | codeop.PyCF_DONT_IMPLY_DEDENT | codeop.PyCF_ALLOW_INCOMPLETE_INPUT


def _can_start(line: str) -> bool:
    """Can a run of code start at this line? Not where the line alone is invalid Python, as opposed to
    the start of a longer statement (an open bracket, a block's header: "incomplete input"): no lines
    after it make it valid. A line of prose costs a parse of itself, not of everything after it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(line + "\n", "<line>", "exec", _LINE)
    except SyntaxError as e:
        return "incomplete input" in str(e.msg)
    except Exception:  # noqa: BLE001 - (a NUL byte...) the whole parse decides, as before
        return True
    return True


def _drop_drivers(code: str, entry: str) -> str:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    drop = [n for n in tree.body if _is_driver(n, entry)]
    if not drop:
        return code
    lines = code.split("\n")
    for n in reversed(drop):
        del lines[n.lineno - 1:n.end_lineno]
    return "\n".join(lines).rstrip("\n") + "\n"


def extract_program(text: str, entry: str = "task_program") -> Extraction:
    if not isinstance(text, str):
        return Extraction(None, f"expected program text, got {type(text).__name__}")
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    first_error: Extraction | None = None
    budget = [PARSE_BUDGET]
    for block in _blocks(text, entry):
        code = _cut(block, entry, budget)
        if code is None:
            continue
        code = "\n".join(ln.rstrip() for ln in code.split("\n"))
        try:
            ast.parse(code)
        except SyntaxError as e:
            first_error = first_error or Extraction(code, f"{type(e).__name__}: {e.msg}", e.lineno)
            continue
        except (RecursionError, MemoryError, ValueError) as e:
            first_error = first_error or Extraction(code, f"program cannot be parsed: {type(e).__name__}", None)
            continue
        return Extraction(_drop_drivers(code, entry))
    if first_error is not None:
        return first_error
    return Extraction(None, f"no 'def {entry}():' found in the text", None)
