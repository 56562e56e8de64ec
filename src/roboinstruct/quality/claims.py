"""A report that claims work the program never did (`false-claim`).

Readers reject "The chairperson has been informed" said in an empty room, "The refrigerator has been
adjusted", "Maria's eggs are cooked": the program reports an outcome instead of bringing it about
(the rubric's "placeholder where work is asked"). Two kinds of claim are read from a report's
literal text, both from the domain's words, never the service robot's names:
  - "... has/have/had been W": W is a participle the domain ties to functions (`quality.claims`,
    e.g. place: [delivered, brought]); the program must call one of them, other than the reporting
    call itself (a say() cannot inform by announcing that someone was informed).
  - "... has/have/had been W" where W is the participle of a verb the robot cannot do
    (`quality.cannot`: cook -> cooked): no program of this robot makes that true.
Participles the domain names nowhere are left alone ("has been found" reports what was sensed), and
so are states ("the meeting is scheduled for 3" may relay what a person answered).
"""

from __future__ import annotations

import ast
import re

from ..domain import Domain
from .findings import Finding

_PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:already\s+|now\s+|just\s+)?been\s+([a-z]+)")
# Common irregular participles (English, not the domain's): verb -> participle.
_IRREGULAR = {"buy": "bought", "pay": "paid", "sell": "sold", "write": "written", "draw": "drawn", "make": "made",
              "eat": "eaten", "drink": "drunk", "sleep": "slept", "teach": "taught", "feed": "fed", "hang": "hung",
              "ride": "ridden", "drive": "driven", "think": "thought", "take": "taken", "meet": "met", "sing": "sung",
              "read": "read", "set": "set", "shop": "shopped", "mop": "mopped", "plug": "plugged", "fill": "filled"}


def participles(verb: str) -> set[str]:
    """Regular and common irregular past participles of a one-word verb."""
    v = verb.lower()
    out = {v + "ed", v + "d", v + v[-1] + "ed"} if v else set()
    if v.endswith("y") and len(v) > 1 and v[-2] not in "aeiou":
        out.add(v[:-1] + "ied")
    if v in _IRREGULAR:
        out.add(_IRREGULAR[v])
    return out


def _message_text(node) -> str:
    """The literal words of a report's message (f-string and `+` parts; computed parts as a gap)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " … ".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _message_text(node.left) + " " + _message_text(node.right)
    return " … "


def false_claims(tree: ast.AST, domain: Domain) -> list[Finding]:
    vocab = domain.vocabulary
    reporters = {f.name for f in domain.functions.values() if f.reports}
    if not reporters:
        return []
    cannot = {}
    for verb in vocab.cannot:
        if " " not in verb:
            for p in participles(verb):
                cannot[p] = verb
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    for call in calls:
        if call.func.id not in reporters or not (call.args or call.keywords):
            continue
        text = _message_text(call.args[0] if call.args else call.keywords[0].value).lower()
        for m in _PERFECT.finditer(text):
            if m.group(1) in cannot:
                return [Finding("false-claim", f"reports {m.group(0)!r}, but this robot cannot "
                                               f"{cannot[m.group(1)]}", call.lineno)]
        for m in _PERFECT.finditer(text):
            word = m.group(1)
            doers = [fn for fn, ws in vocab.claims.items() if word in ws]
            if doers and not any(c is not call and c.func.id in doers for c in calls):
                return [Finding("false-claim", f"reports {m.group(0)!r}, but the program never calls "
                                               f"{' or '.join(d + '()' for d in doers)} except to make this claim: "
                                               "it claims the work instead of doing it", call.lineno)]
    return []
