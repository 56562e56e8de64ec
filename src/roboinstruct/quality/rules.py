"""Static meaning rules over (instruction, program): what RoboSim's execution cannot see.

Pure AST reading (the program is never run here), with the API's roles read from the domain:
which function reports to people (`reports: true`), which returns the robot's location
(`returns: here`), which returns strings, which asks a question (`returns: choose <param>`).
Rules that need execution (a person asked where nobody went, a room used as a person) are
RoboSim's strict semantics (robosim.api, `strict=True`).
"""

from __future__ import annotations

import ast
import re

from ..domain import Domain
from .findings import Finding
from .claims import false_claims
from .flow import flow_rules
from .gates import as_verb

# The instruction asks the robot to come back (to where it started) before telling.
COME_BACK = re.compile(r"\b(come back|return (?:to me|here|and tell|and report)|report back|get back to me|"
                       r"back to me|then come)\b")
WH_WORDS = ("who", "which", "what", "where", "when", "how many", "how much", "whose")
YES_NO = {"yes", "no"}
DONT_KNOW = {"i don't know", "i do not know", "don't know", "unsure", "no idea", "i'm not sure"}
# A question these open is answered yes or no (unless it offers alternatives it names: "tea or coffee?").
AUX_OPENINGS = ("is ", "are ", "do ", "does ", "did ", "can ", "could ", "will ", "would ", "should ", "have ",
                "has ", "may ", "was ", "were ", "shall ")
YES_NO_LIKE = re.compile(r"\b(yes|no|yeah|nope|sure|not sure|maybe|ok|okay|not really|of course|none|nothing)\b")
# Functions that take a string apart character by character.
CHAR_SPLITTERS = ("list", "set", "sorted", "tuple")


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.func.id == name]


def _placeholder_body(body: list[ast.stmt]) -> bool:
    """A block that does nothing: only `pass`, `...` or a bare string."""
    return all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
               for s in body)


def _str_names(tree: ast.AST, str_functions: set[str]) -> set[str]:
    """Variables only ever assigned a string (a literal or a str-returning API call)."""
    kinds: dict[str, set[bool]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            v = node.value
            is_str = (isinstance(v, ast.Constant) and isinstance(v.value, str)) or (
                isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id in str_functions)
            kinds.setdefault(node.targets[0].id, set()).add(is_str)
        elif isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name):
            kinds.setdefault(node.target.id, set()).add(False)
    return {name for name, seen in kinds.items() if seen == {True}}


def check_program(instruction: str, program: str, domain: Domain) -> list[Finding]:
    """Every static rule the pair breaks (empty: none)."""
    try:
        tree = ast.parse(program)
    except SyntaxError:
        return []  # RoboSim reports it as a PythonError, with its line
    found: list[Finding] = []
    fns = domain.functions.values()
    reporters = [f.name for f in fns if f.reports]
    here_fns = {f.name for f in fns if f.returns == "here"}
    str_fns = {f.name for f in fns if f.returns_type == "str"}
    askers = [f for f in fns if isinstance(f.returns, str) and f.returns.startswith("choose ")]
    low = " ".join((instruction or "").lower().split())

    for node in ast.walk(tree):
        if isinstance(node, (ast.If, ast.For, ast.While, ast.FunctionDef)) and _placeholder_body(node.body):
            what = "a function" if isinstance(node, ast.FunctionDef) else "a branch"
            found.append(Finding("placeholder", f"{what} that does nothing (pass) where work is asked",
                                 node.body[0].lineno))
            break
    prints = _calls(tree, "print")
    if prints and reporters:
        found.append(Finding("print-report", f"print() tells nobody; the robot reports with {reporters[0]}()",
                             prints[0].lineno))
    strings = _str_names(tree, str_fns)
    for node in ast.walk(tree):
        if isinstance(node, (ast.For, ast.comprehension)):
            it = node.iter
            direct = isinstance(it, ast.Constant) and isinstance(it.value, str) or (
                isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id in str_fns)
            if direct or (isinstance(it, ast.Name) and it.id in strings):
                found.append(Finding("string-iteration", "iterates over the characters of a string",
                                     getattr(node, "lineno", None) or getattr(it, "lineno", None)))
                break
    if not any(f.rule == "string-iteration" for f in found):
        found += _string_taken_apart(tree, strings, str_fns)
    for fn in askers:
        found += _options_form(tree, fn)
        found += _answer_spliced(tree, fn, reporters)
        discarded = [n for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
                     and isinstance(n.value.func, ast.Name) and n.value.func.id == fn.name]
        if discarded:
            found.append(Finding("answer-discarded", f"the answer of {fn.name}() is thrown away: the question "
                                                     f"changes nothing", discarded[0].lineno))
    found += _rooms_as_other_kinds(tree, domain)
    for fn in fns:  # the instruction asks for what only this function does, and it is never called
        verb = next((v for v in fn.asked_by if as_verb(low, v)), None)
        if verb and not _calls(tree, fn.name):
            found.append(Finding("missing-action", f"the instruction asks to {verb!r}; the program never calls "
                                                   f"{fn.name}()"))
    if reporters and here_fns and COME_BACK.search(low) and not _goes_back(tree, here_fns, domain):
        found.append(Finding("no-return", "the instruction asks to come back; the program never returns to "
                                          "where it started"))
    return found + false_claims(tree, domain) + flow_rules(instruction, tree, domain)


def _string_taken_apart(tree: ast.AST, strings: set[str], str_fns: set[str]) -> list[Finding]:
    """`", ".join(answer)` or `list(answer)` on one string: its characters, not its items."""
    def is_str(node) -> bool:
        return (isinstance(node, ast.Name) and node.id in strings) or (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in str_fns)

    for c in ast.walk(tree):
        if not isinstance(c, ast.Call) or len(c.args) != 1 or not is_str(c.args[0]):
            continue
        if (isinstance(c.func, ast.Attribute) and c.func.attr == "join") or (
                isinstance(c.func, ast.Name) and c.func.id in CHAR_SPLITTERS):
            return [Finding("string-iteration", "takes one string apart into its characters", c.lineno)]
    return []


def _answer_spliced(tree: ast.AST, fn, reporters: list[str]) -> list[Finding]:
    """A yes/no answer spliced into the middle of a sentence ("the meeting is " + answer + " today")."""
    opt_name = fn.returns[7:].strip()
    names = [p.name for p in fn.params]
    if opt_name not in names:
        return []
    yes_no_vars = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Name) \
                and n.value.func.id == fn.name:
            opts = _arg_at(n.value, names, names.index(opt_name))
            values = _option_values(opts)
            if values and values <= YES_NO:
                yes_no_vars |= {t.id for t in n.targets if isinstance(t, ast.Name)}
    for call in (c for r in reporters for c in _calls(tree, r)):
        msg = call.args[0] if call.args else None
        parts = _concat_parts(msg) if msg is not None else []
        for i, part in enumerate(parts):
            after = "".join(p.value for p in parts[i + 1:] if isinstance(p, ast.Constant) and isinstance(p.value, str))
            if isinstance(part, ast.Name) and part.id in yes_no_vars and re.search(r"[a-z]{2}", after.lower()):
                return [Finding("answer-spliced", f"the yes/no answer {part.id!r} is read as a word in the middle of "
                                                  "a sentence", call.lineno)]
    return []


def _concat_parts(node) -> list:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _concat_parts(node.left) + _concat_parts(node.right)
    if isinstance(node, ast.JoinedStr):
        return [v.value if isinstance(v, ast.FormattedValue) else v for v in node.values]
    return [node]


def _arg_at(call: ast.Call, names: list[str], index: int):
    args = dict(enumerate(call.args))
    args.update({names.index(k.arg): k.value for k in call.keywords if k.arg in names})
    return args.get(index)


def _option_values(opts) -> set[str]:
    if not isinstance(opts, ast.List):
        return set()
    return {e.value.strip().lower().rstrip(".!") for e in opts.elts if isinstance(e, ast.Constant)
            and isinstance(e.value, str)}


def options_mismatch(question: str, options: list[str]) -> str | None:
    """Why these options cannot answer this question (None: they can). Shared by the program rule
    (`options-form`) and plan-first's fill check, which refuses such a request before any program."""
    values = {str(o).strip().lower().rstrip(".!") for o in options}
    q = question.strip().lower()
    yes_no_ish = values & YES_NO and all(YES_NO_LIKE.fullmatch(v) or v in DONT_KNOW for v in values)
    if values and yes_no_ish and q.startswith(WH_WORDS):  # "what is its name?" -- "yes", "no", "maybe"
        return f"the question {question[:60]!r} is not answered by {sorted(values)}"
    # "Is it a bedroom or a bathroom?" -- "yes", "no": the question asks which, and yes/no names neither
    if values and yes_no_ish and q.startswith(AUX_OPENINGS) and " or " in q \
            and not re.search(r"\bor not\b|\beither\b|\bor (anything|something|anyone|someone)\b", q):
        return f"the question {question[:60]!r} asks which of two, and {sorted(values)} names neither"
    # a yes/no question whose options neither answer yes/no nor are alternatives the question names
    if values and q.startswith(AUX_OPENINGS) and not any(YES_NO_LIKE.search(v) for v in values) \
            and not any(v in q for v in values):
        return f"the yes/no question {question[:60]!r} is offered {sorted(values)}"
    return None


def _options_form(tree: ast.AST, fn) -> list[Finding]:
    """A wh-question answered with yes/no options does not answer the question."""
    opt_name = fn.returns[7:].strip()
    names = [p.name for p in fn.params]
    q_index = next((i for i, p in enumerate(fn.params) if p.type == "str" and p.kind is None), None)
    if q_index is None or opt_name not in names:
        return []
    o_index = names.index(opt_name)
    for call in _calls(tree, fn.name):
        args = dict(enumerate(call.args))
        args.update({names.index(k.arg): k.value for k in call.keywords if k.arg in names})
        q, opts = args.get(q_index), args.get(o_index)
        if not (isinstance(q, ast.Constant) and isinstance(q.value, str) and isinstance(opts, ast.List)):
            continue
        values = [e.value for e in opts.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        why = options_mismatch(q.value, values)
        if why:
            return [Finding("options-form", why, call.lineno)]
    return []


def _rooms_as_other_kinds(tree: ast.AST, domain: Domain) -> list[Finding]:
    """`for book in get_all_rooms()`: the rooms list read as books, people or meetings."""
    rooms_fns = {f.name for f in domain.functions.values() if f.returns == "rooms"}
    vocab = domain.vocabulary
    rooms_vars = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
                  and isinstance(n.value.func, ast.Name) and n.value.func.id in rooms_fns
                  for t in n.targets if isinstance(t, ast.Name)}
    for n in ast.walk(tree):
        if not isinstance(n, (ast.For, ast.comprehension)) or not isinstance(n.target, ast.Name):
            continue
        it = n.iter
        over_rooms = (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id in rooms_fns) or (
            isinstance(it, ast.Name) and it.id in rooms_vars)
        said = vocab.head_kind(n.target.id.replace("_", " ")) if over_rooms else None
        if said and said != "location":
            return [Finding("entity-kind", f"iterates over the rooms calling each one {n.target.id!r} "
                                           f"(a name for {said}s, not rooms)", getattr(n, "lineno", None))]
    for name in rooms_vars:
        said = vocab.head_kind(name.replace("_", " "))
        if said and said != "location":
            return [Finding("entity-kind", f"stores the list of rooms as {name!r} (a name for {said}s)")]
    return []


def _goes_back(tree: ast.AST, here_fns: set[str], domain: Domain) -> bool:
    """Whether the program moves to a value it got from the here-returning function (or the start's name)."""
    saved = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
             and isinstance(n.value.func, ast.Name) and n.value.func.id in here_fns
             for t in n.targets if isinstance(t, ast.Name)}
    movers = [f.name for f in domain.functions.values() if any(isinstance(e, tuple) for e in f.effects)]
    for name in movers:
        for call in _calls(tree, name):
            arg = call.args[0] if call.args else (call.keywords[0].value if call.keywords else None)
            if isinstance(arg, ast.Name) and arg.id in saved:
                return True
            if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id in here_fns:
                return True
            if isinstance(arg, ast.Constant) and str(arg.value).lower() == domain.start_location:
                return True
    return False
