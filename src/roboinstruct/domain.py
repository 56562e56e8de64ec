"""A robot's API declared as data: kinds of names, world predicates, and functions.

One declaration feeds RoboSim (preconditions/effects), the sandbox allow-list (which
names a program may call) and the prompts (signatures and docs). Domains are YAML files;
`load_domain("service_robot")` loads a built-in one, `load_domain("path/to/x.yaml")` a
user's. Every schema mistake is reported as one `DomainError` line naming the file and key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import DomainError

BUILTIN_DIR = Path(__file__).parent / "domains"
DEFAULT_DOMAIN = "service_robot"

# Types a parameter or return value may declare; the checker lives in robosim.
TYPES = ("str", "int", "float", "bool", "list[str]", "list[int]", "list[float]", "None")
# Special return values computed by the engine rather than read from a literal.
RETURN_VALUES = ("here", "rooms", "none")

_LITERAL = re.compile(r"^(?:(not|unknown)\s+)?([A-Za-z_]\w*)\(([^()]*)\)$")


@dataclass(frozen=True)
class Literal:
    """`[not|unknown] pred(args)`; args are param names, 'here' or '*'."""

    pred: str
    args: tuple[str, ...]
    mode: str = "true"  # "true" | "not" | "unknown"

    def __str__(self) -> str:
        prefix = "" if self.mode == "true" else self.mode + " "
        return f"{prefix}{self.pred}({', '.join(self.args)})"


@dataclass(frozen=True)
class Requirement:
    literal: Literal
    error: str
    # The strict check (quality) does not assume this literal angelically: it must be observed, or the
    # robot must have gone somewhere first (RoboEval's rule for asking a person); the message says why.
    strict: str | None = None


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "str"
    kind: str | None = None
    nonempty: bool = False


@dataclass(frozen=True)
class Function:
    name: str
    doc: str
    params: tuple[Param, ...]
    returns_type: str = "None"
    returns: str = "none"  # 'here' | 'rooms' | 'none' | 'query <literal>' | 'choose <param>'
    requires: tuple[Requirement, ...] = ()
    effects: tuple[Any, ...] = ()  # Literal, or ("move", param)
    reports: bool = False  # how the robot tells people things (the strict check's "report" rule)
    asked_by: tuple[str, ...] = ()  # instruction verbs that need this function (quality's missing-action rule)

    @property
    def signature(self) -> str:
        args = ", ".join(f"{p.name}: {p.type}" for p in self.params)
        return f"{self.name}({args}) -> {self.returns_type}"

    @property
    def query(self) -> Literal | None:
        return self.returns if isinstance(self.returns, Literal) else None


@dataclass(frozen=True)
class Kind:
    name: str
    includes: tuple[str, ...] = ()
    moves: bool = False
    generic: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Predicate:
    name: str
    args: tuple[str, ...]
    closed: bool = False


_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


@dataclass(frozen=True)
class Vocabulary:
    """The domain's `quality:` section: words that the strict check reads (never code).
    `nouns` maps a kind to head nouns that give a name of that kind away; `cannot` and
    `outside` are actions and places an instruction may not ask of this robot."""

    can: str = ""
    user: tuple[str, ...] = ()
    nouns: dict[str, frozenset] = field(default_factory=dict)
    cannot: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()     # words that ask the robot to find something out (it must sense)
    relative_places: tuple[str, ...] = ()  # "current location": a role, not a place one can go to by name
    # function -> participles a report may claim only when the program calls it ("has been delivered": place)
    claims: dict[str, frozenset] = field(default_factory=dict)

    def head_kind(self, name: str) -> str | None:
        """The kind a name's head noun (its last word, numbers dropped) gives away, if any."""
        words = _WORD.findall(str(name).lower().replace("'s ", " "))
        if not words:
            return None
        head = words[-1]
        for kind, nouns in self.nouns.items():
            if head in nouns or (head.endswith("s") and head[:-1] in nouns) or (
                    head.endswith("ves") and head[:-3] + "f" in nouns):  # shelves: shelf
                return kind
        return None


def parse_vocabulary(raw: Any, source: str = "<domain>", kinds: dict | None = None) -> Vocabulary:
    if raw is None:
        return Vocabulary()
    if not isinstance(raw, dict):
        raise _fail(source, "quality", "must be a mapping (can, user, nouns, cannot, outside, checks, "
                                       "relative_places, claims)")
    nouns = {}
    for kind, words in (raw.get("nouns") or {}).items():
        if kinds is not None and kind not in kinds:
            raise _fail(source, f"quality.nouns.{kind}", f"unknown kind {kind!r}; declare it under 'kinds'")
        nouns[kind] = frozenset(str(w).lower() for w in words or ())

    def words(key: str) -> tuple[str, ...]:
        value = raw.get(key) or ()
        if not isinstance(value, (list, tuple)):
            raise _fail(source, f"quality.{key}", "must be a list of words")
        return tuple(str(w).lower() for w in value)

    claims_raw = raw.get("claims") or {}
    if not isinstance(claims_raw, dict):
        raise _fail(source, "quality.claims", "must map a function name to the participles only it makes true "
                                              "(e.g. place: [delivered, brought])")
    claims = {str(fn): frozenset(str(w).lower() for w in ws or ()) for fn, ws in claims_raw.items()}
    return Vocabulary(str(raw.get("can") or "").strip(), words("user"), nouns, words("cannot"), words("outside"),
                      words("checks"), words("relative_places"), claims)


@dataclass(frozen=True)
class Domain:
    name: str
    description: str
    kinds: dict[str, Kind]
    predicates: dict[str, Predicate]
    functions: dict[str, Function]
    room_pool: tuple[str, ...]
    start_location: str
    source: str = "<memory>"
    alias_of: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias -> (kind, generic)
    raw: dict = field(default_factory=dict, compare=False, repr=False)  # the declaration as loaded
    vocabulary: Vocabulary = field(default_factory=Vocabulary, compare=False, repr=False)
    _policies: dict = field(default_factory=dict, compare=False, repr=False)

    def __hash__(self) -> int:
        return hash((self.name, self.source))

    def api_prompt(self) -> str:
        """The API as prompts show it: one signature and its doc per function."""
        lines = []
        for fn in self.functions.values():
            lines.append(f"def {fn.signature}:\n    \"\"\"{fn.doc}\"\"\"\n")
        return "\n".join(lines)

    @property
    def api_names(self) -> tuple[str, ...]:
        return tuple(self.functions)

    def policy(self, entry: str = "task_program", static_names: bool = True):
        """The sandbox policy for this API's programs (cached: compile caches key on it)."""
        key = (entry, static_names)
        cached = self._policies.get(key)
        if cached is None:
            from .sandbox.policy import Policy

            cached = self._policies[key] = Policy(f"{self.source}\0{self.name}", frozenset(self.functions),
                                                  entry, static_names)
        return cached

    def is_subkind(self, kind: str, of: str) -> bool:
        """True when `kind` is `of` or one of the kinds `of` includes (transitively)."""
        if kind == of:
            return True
        return any(self.is_subkind(kind, inner) for inner in self.kinds[of].includes)


def _fail(source: str, where: str, what: str) -> DomainError:
    return DomainError(f"{source}: {where}: {what}")


def parse_literal(text: str, source: str = "<domain>", where: str = "literal") -> Literal:
    m = _LITERAL.match(text.strip())
    if not m:
        raise _fail(source, where, f"cannot parse literal {text!r}; write e.g. 'at(here, obj)' or 'not holding(*)'")
    mode, pred, args = m.groups()
    arg_list = tuple(a.strip() for a in args.split(",")) if args.strip() else ()
    return Literal(pred, arg_list, mode or "true")


def _check_literal(lit: Literal, dom: dict, params: set[str], source: str, where: str) -> None:
    pred = dom["predicates"].get(lit.pred)
    if pred is None:
        raise _fail(source, where, f"unknown predicate {lit.pred!r}; declare it under 'predicates'")
    if len(lit.args) != len(pred.args):
        raise _fail(source, where, f"{lit.pred} takes {len(pred.args)} argument(s), got {len(lit.args)}")
    for a in lit.args:
        if a not in params and a not in ("here", "*"):
            raise _fail(source, where, f"argument {a!r} is neither a parameter, 'here' nor '*'")
        if a == "*" and lit.mode != "not":
            raise _fail(source, where, "'*' is only allowed in 'not pred(*)' requirements")


def _parse_function(name: str, raw: dict, dom: dict, source: str) -> Function:
    where = f"functions.{name}"
    if not isinstance(raw, dict) or "doc" not in raw:
        raise _fail(source, where, "needs a mapping with at least a 'doc' line")
    params = []
    for i, p in enumerate(raw.get("params") or []):
        if not isinstance(p, dict) or "name" not in p:
            raise _fail(source, f"{where}.params[{i}]", "each param needs a 'name'")
        ptype = p.get("type", "str")
        if ptype not in TYPES:
            raise _fail(source, f"{where}.params[{i}]", f"type {ptype!r} is not one of {', '.join(TYPES)}")
        kind = p.get("kind")
        if kind is not None and kind not in dom["kinds"]:
            raise _fail(source, f"{where}.params[{i}]", f"kind {kind!r} is not declared under 'kinds'")
        params.append(Param(p["name"], ptype, kind, bool(p.get("nonempty", False))))
    names = {p.name for p in params}
    ret = raw.get("returns") or {}
    rtype = ret.get("type", "None")
    if rtype not in TYPES:
        raise _fail(source, f"{where}.returns", f"type {rtype!r} is not one of {', '.join(TYPES)}")
    rval: Any = str(ret.get("value", "none"))
    if rval.startswith("query "):
        rval = parse_literal(rval[6:], source, f"{where}.returns")
        _check_literal(rval, dom, names, source, f"{where}.returns")
        if rtype != "bool":
            raise _fail(source, f"{where}.returns", "a 'query' returns bool; set type: bool")
    elif rval.startswith("choose "):
        opt = rval[7:].strip()
        if opt not in names:
            raise _fail(source, f"{where}.returns", f"'choose' needs a list parameter, {opt!r} is not one")
    elif rval not in RETURN_VALUES:
        raise _fail(source, f"{where}.returns", f"value {rval!r} must be one of here, rooms, none, 'query <literal>', 'choose <param>'")
    requires = []
    for i, r in enumerate(raw.get("requires") or []):
        text, msg, strict = (r, None, None) if isinstance(r, str) else (r.get("literal", ""), r.get("error"),
                                                                         r.get("strict"))
        lit = parse_literal(text, source, f"{where}.requires[{i}]")
        _check_literal(lit, dom, names, source, f"{where}.requires[{i}]")
        if lit.mode == "unknown":
            raise _fail(source, f"{where}.requires[{i}]", "a requirement cannot be 'unknown'")
        requires.append(Requirement(lit, msg or f"{name}: precondition {lit} does not hold", strict))
    effects: list[Any] = []
    for i, e in enumerate(raw.get("effects") or []):
        if isinstance(e, str) and e.startswith("move "):
            target = e[5:].strip()
            if target not in names:
                raise _fail(source, f"{where}.effects[{i}]", f"'move' needs a location parameter, {target!r} is not one")
            effects.append(("move", target))
            continue
        lit = parse_literal(str(e), source, f"{where}.effects[{i}]")
        _check_literal(lit, dom, names, source, f"{where}.effects[{i}]")
        effects.append(lit)
    asked_by = raw.get("asked_by") or ()
    if not isinstance(asked_by, (list, tuple)):
        raise _fail(source, f"{where}.asked_by", "must be a list of words (instruction verbs that need this function)")
    return Function(name, str(raw["doc"]).strip(), tuple(params), rtype, rval, tuple(requires), tuple(effects),
                    bool(raw.get("reports", False)), tuple(str(w).lower() for w in asked_by))


def parse_domain(data: dict, source: str = "<memory>") -> Domain:
    if not isinstance(data, dict):
        raise _fail(source, "top level", "a domain file must be a YAML mapping")
    for key in ("name", "functions"):
        if key not in data:
            raise _fail(source, "top level", f"missing required key {key!r}")
    kinds: dict[str, Kind] = {}
    for kname, kraw in (data.get("kinds") or {"location": {}}).items():
        kraw = kraw or {}
        kinds[kname] = Kind(kname, tuple(kraw.get("includes") or ()), bool(kraw.get("moves", False)),
                            kraw.get("generic"), tuple(str(a).strip().lower() for a in kraw.get("aliases") or ()))
    if "location" not in kinds:
        raise _fail(source, "kinds", "a domain needs a 'location' kind (where the robot can be)")
    for k in kinds.values():
        for inner in k.includes:
            if inner not in kinds:
                raise _fail(source, f"kinds.{k.name}.includes", f"unknown kind {inner!r}")
    preds = {}
    for pname, praw in (data.get("predicates") or {}).items():
        args = tuple((praw or {}).get("args") or ())
        for a in args:
            if a not in kinds:
                raise _fail(source, f"predicates.{pname}.args", f"unknown kind {a!r}")
        preds[pname] = Predicate(pname, args, bool((praw or {}).get("closed", False)))
    dom = {"kinds": kinds, "predicates": preds}
    if not isinstance(data["functions"], dict) or not data["functions"]:
        raise _fail(source, "functions", "declare at least one function as a mapping name -> spec")
    functions = {n: _parse_function(n, raw, dom, source) for n, raw in data["functions"].items()}
    alias_of = {}
    for k in kinds.values():
        if k.generic:
            for a in (*k.aliases, k.generic):
                alias_of[a] = (k.name, k.generic)
    vocabulary = parse_vocabulary(data.get("quality"), source, kinds)
    for fn in vocabulary.claims:
        if fn not in functions:
            raise _fail(source, f"quality.claims.{fn}", f"unknown function {fn!r}; use one of {', '.join(functions)}")
    return Domain(
        name=str(data["name"]),
        description=str(data.get("description", "")),
        kinds=kinds,
        predicates=preds,
        functions=functions,
        room_pool=tuple(str(r).lower() for r in data.get("room_pool") or ("hallway", "lobby", "storage area")),
        start_location=str(data.get("start_location", "starting position")).lower(),
        source=source,
        alias_of=alias_of,
        raw=data,
        vocabulary=vocabulary,
    )


@lru_cache(maxsize=32)
def _load_file(path: str) -> Domain:
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise DomainError(f"{path}: cannot read domain file ({e.strerror}); check the path") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise DomainError(f"{path}: invalid YAML: {str(e).splitlines()[0]}") from None
    return parse_domain(data, source=path)


def builtin_domains() -> list[str]:
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def load_domain(name_or_path: "str | Domain | None" = None) -> Domain:
    """A built-in domain by name, a YAML file by path, or a Domain passed through."""
    if isinstance(name_or_path, Domain):
        return name_or_path
    ref = name_or_path or DEFAULT_DOMAIN
    builtin = BUILTIN_DIR / f"{ref}.yaml"
    if builtin.exists():
        return _load_file(str(builtin))
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return _load_file(str(path.resolve()))
    raise DomainError(f"unknown domain {ref!r}: use one of {', '.join(builtin_domains())} or a path to a .yaml file")
