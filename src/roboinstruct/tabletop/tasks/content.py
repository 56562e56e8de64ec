"""What a task file says, as text a similarity can compare, read without running it.

A task's *description text* is its name (the file stem's words), its class docstring and the
language it speaks to the robot (string constants assigned to `self.lang_template*` and
`self.task_completed_desc`): GenSim's near-copies often keep a stale docstring, but their name and
language templates give them away. Its *code text* is the sequence of identifiers, numbers and
string literals (comments and layout dropped), cut into overlapping 3-grams.

Both are compared by TF-IDF cosine (`Vectors`): a word every task uses ("block", "place") weighs
little, a rare one ("rainbow", "pallet", "symmetric") much, so two tasks are close when they share
what is particular to them, not GenSim's boilerplate.
"""

from __future__ import annotations

import ast
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

STOPWORDS = frozenset("a an the of in on to and or into onto its it each their them then with by at from for is are "
                      "be that this which".split())
WORD_RE = re.compile(r"[a-z]+")
CODE_RE = re.compile(r"[A-Za-z_]\w*|\d+(?:\.\d+)?|'[^'\n]*'|\"[^\"\n]*\"")
LANGUAGE_ATTRS = ("lang_template", "task_completed_desc")
CODE_NGRAM = 3


def words(text: str) -> list[str]:
    """Lower-cased content words: stopwords dropped, 'colour' spelt 'color', a plural 's' cut."""
    out = []
    for w in WORD_RE.findall(text.lower().replace("colour", "color")):
        if w in STOPWORDS or len(w) < 2:
            continue
        out.append(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def _task_class(code: str) -> ast.ClassDef | None:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    return next((n for n in tree.body if isinstance(n, ast.ClassDef)), None)


def docstring(code: str) -> str:
    """The task class's docstring on one line ('' when there is none or the file does not parse)."""
    cls = _task_class(code)
    return " ".join((ast.get_docstring(cls) or "").split()) if cls else ""


def language(code: str) -> list[str]:
    """The string constants the task class assigns to its language attributes, in order."""
    cls = _task_class(code)
    out = []
    for node in ast.walk(cls) if cls else ():
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            if any(isinstance(t, ast.Attribute) and t.attr.startswith(LANGUAGE_ATTRS) for t in node.targets):
                out.append(node.value.value)
    return out


def description_text(name: str, code: str) -> str:
    """A task's description text: its name's words, docstring and language templates."""
    return " ".join([name.replace("-", " ").replace("_", " "), docstring(code), *language(code)])


def code_terms(code: str) -> list[str]:
    """Overlapping 3-grams of the code's identifiers, numbers and literals (comments dropped)."""
    lines = (line for line in code.splitlines() if not line.lstrip().startswith("#"))
    toks = CODE_RE.findall("\n".join(lines))
    return [" ".join(toks[i:i + CODE_NGRAM]) for i in range(len(toks) - CODE_NGRAM + 1)]


class Vectors:
    """TF-IDF vectors (L2-normalised) of a fixed corpus of term lists; `cosine(a, b)` by key."""

    def __init__(self, docs: Mapping[str, Iterable[str]]):
        docs = {k: list(v) for k, v in docs.items()}
        df = Counter(t for terms in docs.values() for t in set(terms))
        n = len(docs)
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}
        self.vec: dict[str, dict[str, float]] = {}
        for key, terms in docs.items():
            weights = {t: c * self.idf[t] for t, c in Counter(terms).items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            self.vec[key] = {t: w / norm for t, w in weights.items()}

    def __contains__(self, key: str) -> bool:
        return key in self.vec

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.vec[a], self.vec[b]
        if len(va) > len(vb):
            va, vb = vb, va
        return min(1.0, sum(w * vb.get(t, 0.0) for t, w in va.items()))
