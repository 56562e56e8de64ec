"""Plan-first generation's contract (`generate --origin plans`): the request shapes a domain
declares, the checks on a model's filled plan, and the plan's coverage by a program.

The blind readers' largest groups of bad pairs were requests no person would make (incoherent,
beyond the robot) and programs that do something else than asked. A shape fixes the first by
construction: it is a request in terms of the API ("go to the {room}, pick up the {object} ...")
whose slots the model fills with names for one setting; the request is the shape's wording with
those names (`render_request`) — the 1.5B's own wordings of a filled shape were measured to ramble,
address the wrong person or drop the names. `check_fill` refuses fills of the wrong kind ("kitchen
sink" as a room), placeholders ("object1") and questions that are not questions; `check_coverage`
refuses a program that never makes one of the shape's calls with the plan's names (rule
`plan-coverage`), which catches the program that goes to the wrong room or never picks up what it
was sent for — the miss no rule of text or structure saw.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import DomainError
from .findings import Finding

TEXT_SLOTS = ("question", "options", "message")
MAX_SAID = 15  # words of a question or message: longer ones were the model's own rambles
_GENERIC_PEOPLE = {"all", "everyone", "everybody", "anyone", "anybody", "someone", "somebody", "nobody", "people",
                   "person", "them", "you", "me", "user"}
_PLACEHOLDER = re.compile(r"^(?:(?:option|object|answer|choice|item|person|room|name|message|question)\s*[a-z0-9]?|[a-z0-9]|"
                          r"\.\.\.|x+|tbd|n/a)$")
_CALL = re.compile(r"^\s*(\w+)\((.*)\)\s*$")
_SLOT = re.compile(r"\{(\w+)\}")
# words of the request itself, not of a message the robot passes on ("tell them 'come back and tell me'")
_RELAYED = re.compile(r"\b(?:let me know|report back|come back and tell me)\b")
_ARTICLE = re.compile(r"^(?:the|a|an|my|our|your)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Slot:
    name: str            # as in the shape: from_room
    type: str            # the `slots` entry it ends with: room
    kind: str | None     # the domain kind of a name (location, object, person), or of each option
    text: str | None     # question | options | message for words to say or ask; None for a name
    help: str
    excluded: frozenset = frozenset()  # head nouns a name of this slot may not have (`not:`: a fridge is an
                                       # object, not one a person carries)


ANSWER = "answer"  # the reserved slot {answer}: what the person asked last chose (quality.plan_trace)
AT_START = " @start"  # a call made back where the request was given (the requester's place)


@dataclass(frozen=True)
class PlannedCall:
    function: str
    args: tuple[str | None, ...]  # a slot name, or None for any argument
    at_start: bool = False        # `say(_) @start`: made back at the start, where the requester is

    def show(self, values: dict) -> str:
        shown = (repr(values[a]) if a in values else "the answer" if a == ANSWER else "_" for a in self.args)
        return f"{self.function}({', '.join(shown)})"

    @property
    def text(self) -> str:
        return (f"{self.function}({', '.join('{' + a + '}' if a else '_' for a in self.args)})"
                + (AT_START if self.at_start else ""))


@dataclass(frozen=True)
class Shape:
    name: str
    requests: tuple[str, ...]  # wordings of the request with {slots}; every one has the same slots
    slots: tuple[Slot, ...]
    calls: tuple[PlannedCall, ...]
    example: tuple[dict, str] | None = None  # (values, program): a worked instance, shown to the program stage

    def example_pair(self) -> tuple[str, str] | None:
        """The worked example as an (instruction, program) turn: its first wording with its names."""
        return None if self.example is None else (render_request(self.requests[0], self, self.example[0]),
                                                  self.example[1])

    @property
    def shape(self) -> str:
        """The wording the model is shown when it chooses the names."""
        return self.requests[0]

    @property
    def call_texts(self) -> list[str]:
        return [c.text for c in self.calls]


@dataclass(frozen=True)
class Plans:
    settings: tuple[str, ...]
    shapes: tuple[Shape, ...]


def _fail(source: str, where: str, what: str) -> DomainError:
    return DomainError(f"{source}: plans.{where}: {what}")


def parse_call(text: str, slots: set[str] | None = None) -> PlannedCall:
    at_start = text.rstrip().endswith(AT_START)
    if at_start:
        text = text.rstrip()[:-len(AT_START)]
    m = _CALL.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a call like go_to({{room}}) or say(_)")
    args = []
    for raw in [a.strip() for a in m.group(2).split(",")] if m.group(2).strip() else []:
        slot = _SLOT.fullmatch(raw)
        if raw != "_" and not slot:
            raise ValueError(f"argument {raw!r} of {text!r} is neither {{slot}} nor _")
        if slot and slots is not None and slot.group(1) not in slots | {ANSWER}:
            raise ValueError(f"{text!r} names {{{slot.group(1)}}}, which the shape does not have")
        args.append(slot.group(1) if slot else None)
    return PlannedCall(m.group(1), tuple(args), at_start)


def parse_plans(raw: dict, domain, source: str = "<domain>") -> Plans:
    """The `plans:` section of a domain file, checked against its functions and kinds."""
    if not isinstance(raw, dict) or not raw.get("shapes"):
        raise _fail(source, "shapes", "declare at least one shape (name, shape, calls)")
    types = raw.get("slots") or {}
    for tname, spec in types.items():
        spec = spec or {}
        if spec.get("kind") is not None and spec["kind"] not in domain.kinds:
            raise _fail(source, f"slots.{tname}.kind", f"unknown kind {spec['kind']!r}; use one of "
                                                       f"{', '.join(domain.kinds)}")
        if spec.get("kind") is None and spec.get("text") not in TEXT_SLOTS:
            raise _fail(source, f"slots.{tname}", f"give a kind (one of {', '.join(domain.kinds)}) or text "
                                                  f"({', '.join(TEXT_SLOTS)})")
    shapes = []
    for n, s in enumerate(raw["shapes"]):
        where = f"shapes[{n}]"
        if not isinstance(s, dict) or not s.get("name") or not s.get("requests") or not s.get("calls"):
            raise _fail(source, where, "a shape needs name, requests (wordings with {slots}) and calls")
        requests = [s["requests"]] if isinstance(s["requests"], str) else list(s["requests"])
        slots = []
        for name in dict.fromkeys(_SLOT.findall(requests[0])):
            tname = next((t for t in types if name == t or name.endswith("_" + t)), None)
            if tname is None:
                raise _fail(source, f"{where}.requests", f"slot {{{name}}} matches no entry of plans.slots "
                                                         f"({', '.join(types)}); name it after one (e.g. to_room)")
            spec = types[tname] or {}
            slots.append(Slot(name, tname, spec.get("kind"), spec.get("text"), str(spec.get("help") or tname),
                              frozenset(str(w).lower() for w in spec.get("not") or ())))
        for n_req, text in enumerate(requests[1:], 1):
            if set(_SLOT.findall(text)) != {x.name for x in slots}:
                raise _fail(source, f"{where}.requests[{n_req}]", "every wording must have the same {slots} as the "
                                                                  "first")
        calls = []
        for c in s["calls"]:
            try:
                call = parse_call(str(c), {x.name for x in slots})
            except ValueError as e:
                raise _fail(source, f"{where}.calls", str(e)) from None
            if call.function not in domain.functions:
                raise _fail(source, f"{where}.calls", f"unknown function {call.function!r}; use one of "
                                                      f"{', '.join(domain.functions)}")
            calls.append(call)
        example = s.get("example")
        if example is not None:
            if not isinstance(example, dict) or not isinstance(example.get("values"), dict) \
                    or not isinstance(example.get("program"), str) \
                    or set(example["values"]) != {x.name for x in slots}:
                raise _fail(source, f"{where}.example", "give values (one per slot: "
                                                        f"{', '.join(x.name for x in slots)}) and a program")
            example = (dict(example["values"]), example["program"])
        shapes.append(Shape(str(s["name"]), tuple(str(r) for r in requests), tuple(slots), tuple(calls), example))
    settings = tuple(str(x) for x in raw.get("settings") or ("building",))
    return Plans(settings, tuple(shapes))


@lru_cache(maxsize=16)
def domain_plans(domain) -> Plans | None:
    """The domain's plans (None when its file declares none)."""
    raw = (domain.raw or {}).get("plans")
    return None if raw is None else parse_plans(raw, domain, domain.source)


def fill_schema(shape: Shape) -> dict:
    """The JSON answer: the names of the shape's slots."""
    props: dict = {}
    for s in shape.slots:
        if s.text == "options":
            props[s.name] = {"type": "array", "minItems": 2, "maxItems": 4,
                             "items": {"type": "string", "minLength": 1, "maxLength": 40}}
        else:
            props[s.name] = {"type": "string", "minLength": 2, "maxLength": 120 if s.text else 50}
    return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}


def render_request(wording: str, shape: Shape, values: dict) -> str:
    """The request: a wording of the shape with the names filled in (questions and messages quoted,
    options as "a", "b" or "c"), as one capitalised sentence."""
    shown = {}
    for s in shape.slots:
        v = values[s.name]
        if s.text == "options":
            quoted = [f'"{str(o).strip()}"' for o in v]
            shown[s.name] = ", ".join(quoted[:-1]) + " or " + quoted[-1]
        elif s.text:
            shown[s.name] = f'"{str(v).strip()}"'
        else:
            shown[s.name] = _ARTICLE.sub("", " ".join(str(v).split()))
    wording = re.sub(r"\ba (?=\{(\w+)\})", lambda m: "an " if shown[m.group(1)][:1].lower() in "aeiou" else "a ",
                     wording)
    text = _SLOT.sub(lambda m: shown[m.group(1)], wording).strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def normal(name: str) -> str:
    """A name as the checks compare it: lower case, single spaces, no leading article or quotes."""
    text = " ".join(str(name).lower().replace("’", "'").strip(" .,!?\"'").split())
    return _ARTICLE.sub("", text)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", normal(text))


def check_fill(shape: Shape, values: dict, domain) -> Finding | None:
    """Why a fill cannot become a request (None: it can)."""
    for s in shape.slots:
        v = values.get(s.name)
        items = v if s.text == "options" else [v]
        if s.text == "options" and (not isinstance(v, list) or not 2 <= len(v) <= 4):
            return Finding("plan:options", f"{s.name} must be 2 to 4 answers, got {v!r}")
        if not all(isinstance(x, str) and normal(x) for x in items):
            return Finding("plan:unfilled", f"{s.name} has no value")
        if any(_PLACEHOLDER.match(normal(x)) or f" {' '.join(_words(x))} " in f" {' '.join(_words(s.help))} "
               for x in items):  # "small everyday object": the slot's description, not a name
            return Finding("plan:placeholder", f"{s.name} {v!r} is a placeholder, not a name")
        if s.text == "options" and len({normal(x) for x in v}) < len(v):
            return Finding("plan:options", f"{s.name} must be different answers, got {v!r}")
        if s.text == "question" and not v.strip().endswith("?"):
            return Finding("plan:question", f"{s.name} {v!r} is not a question")
        if s.text in ("question", "message") and (len(_words(v)) > MAX_SAID or re.search(r"[{}\[\]]|\brobot\b", v)):
            return Finding("plan:long", f"{s.name} {v!r} is not a short {s.text} for a person")
        if s.kind == "person" and normal(v) in _GENERIC_PEOPLE | set(domain.alias_of):
            return Finding("plan:placeholder", f"{s.name} {v!r} is not one person")
        if s.kind is None:
            continue
        for x in items:
            if len(_words(x)) > 5:
                return Finding("plan:kind", f"{s.name} {x!r} is a description, not a name")
            head = (_words(x) or [""])[-1]
            if head in s.excluded or head.endswith("s") and head[:-1] in s.excluded:
                return Finding("plan:not", f"{s.name}: {x!r} is not what the slot asks for ({s.help})")
            head = domain.vocabulary.head_kind(x)
            if head is not None and not (domain.is_subkind(head, s.kind) or domain.is_subkind(s.kind, head)):
                return Finding("plan:kind", f"{s.name} {x!r} names {_a(head)}, not {_a(s.kind)}")
    message = next((values[s.name] for s in shape.slots if s.text == "message"), None)
    person = next((values[s.name] for s in shape.slots if s.kind == "person" and s.text is None), None)
    if message and (_RELAYED.search(normal(message)) or person and f" {' '.join(_words(person))} is " in
                    f" {' '.join(_words(message))} "):  # "let me know if Mr. Johnson is there", to Mr. Johnson
        return Finding("plan:message", f"message {message!r} is the request's own words or names its own recipient "
                                       f"{person!r}, not a message for them")
    question = next((values[s.name] for s in shape.slots if s.text == "question"), None)
    options = next((values[s.name] for s in shape.slots if s.text == "options" and s.kind is None), None)
    if question and options:
        from .rules import options_mismatch

        why = options_mismatch(question, options)
        if why:
            return Finding("plan:options", why)
    names = {}
    for s in shape.slots:
        if s.kind is not None and s.text is None:
            key = (s.type, normal(values[s.name]))
            if key in names:
                return Finding("plan:same", f"{names[key]} and {s.name} are both {values[s.name]!r}")
            names[key] = s.name
    return None


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _constants(tree: ast.AST) -> dict[str, set]:
    """Names bound to constants anywhere in the program (assignments of strings or lists of strings,
    loops over literal lists): an argument through such a variable names what it may hold."""
    out: dict[str, set] = {}
    for node in ast.walk(tree):
        pairs = []
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            pairs = [(node.targets[0].id, node.value)]
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name) and isinstance(node.iter, (ast.List, ast.Tuple)):
            pairs = [(node.target.id, e) for e in node.iter.elts]
        for name, value in pairs:
            out.setdefault(name, set()).update(_literal(value))
    return out


def _literal(node: ast.AST) -> set:
    """What a literal argument says: a normal string, a tuple of normal strings for a list, the
    constant parts of a concatenation or f-string joined (for messages said with a name in them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {normal(node.value)}
    if isinstance(node, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                                                       for e in node.elts):
        return {tuple(sorted(normal(e.value) for e in node.elts))}
    if isinstance(node, (ast.BinOp, ast.JoinedStr)):
        parts = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        return {normal(" ".join(parts))} if parts else set()
    return set()


def _matches(value, said: set, text: bool) -> bool:
    if isinstance(value, list):
        return tuple(sorted(normal(v) for v in value)) in said
    want = " ".join(_words(value))
    if not text:
        return normal(value) in said
    return any(isinstance(x, str) and f" {want} " in f" {' '.join(_words(x))} " for x in said)


def check_coverage(plan: dict, program: str) -> Finding | None:
    """`plan-coverage`: the program makes every call the plan's shape asks for, with the plan's
    names (a record's plan: {"calls": ["go_to({room})", ...], "values": {"room": ...}, "texts":
    [slots whose value is said, not named: a question or message is matched where the program's
    string contains it]})."""
    try:
        tree = ast.parse(program)
    except SyntaxError:
        return None  # RoboSim's verdict already says so
    consts = _constants(tree)
    made = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    values, texts = plan.get("values") or {}, set(plan.get("texts") or ())
    loop_of: dict = {}  # position of a call -> the outermost loop around it (its body runs the calls in turn)
    for loop in ast.walk(tree):
        if isinstance(loop, (ast.For, ast.While)):
            for node in ast.walk(loop):
                if isinstance(node, ast.Call):
                    loop_of.setdefault((node.lineno, node.col_offset), (loop.lineno, loop.col_offset))

    def said(arg) -> set:
        return consts.get(arg.id, set()) if isinstance(arg, ast.Name) else _literal(arg)

    previous = None  # the last named call of the plan and where the program first makes it
    for text in plan.get("calls") or ():
        call = parse_call(text)
        at = [(node.lineno, node.col_offset) for node in made
              if node.func.id == call.function and len(node.args) >= len(call.args)
              and all(slot is None or slot not in values or _matches(values[slot], said(arg), slot in texts)
                      for slot, arg in zip(call.args, node.args))]
        if not at:
            return Finding("plan-coverage", f"the request asks for {call.show(values)} and the program never "
                                            f"makes that call")
        if any(a in values for a in call.args):  # named calls in the plan's order: looking before going there
            # is not the plan (a call the plan makes twice: its next one; two calls in one loop: either order)
            later = [a for a in at if previous is None or a > previous[1]
                     or loop_of.get(a) is not None and loop_of.get(a) == loop_of.get(previous[1])]
            if not later:
                return Finding("plan-order", f"the program makes {call.show(values)} (line {min(at)[0]}) before "
                                             f"{previous[0].show(values)} (line {previous[1][0]})", min(at)[0])
            previous = (call, min(later))
    return None
