"""GenSim's task splits by GenSim's own task names, resolved to a checkout's task files.

GenSim's multi-task script trains on lists of task names in `scripts/task_list/*.json`
(`CLIPort_5`: its five base tasks, `GPT_5` ... `GPT_70`: generated ones). A name reaches a class
the way GenSim's registry does, read here from the files (parsed, never run):

- `cliport/generated_tasks/`: the file stem with `_` -> `-` (`generated_tasks/__init__.py` builds
  `new_names` so, case kept: `Four_corner_pyramid_challenge.py` is `Four-corner-pyramid-challenge`);
- `cliport/tasks/`: the hand-written `names = {'name': Class, ...}` dict of `tasks/__init__.py`,
  the class then found by its definition among the folder's files; one of those files
  (`extended_tasks.py`) defines several classes, which this project's static check refuses
  (a task file holds exactly one Task class): such a name resolves, with `classes` > 1.

A name that reaches no file is `unresolved`. Nothing is dropped: every name comes back with its
status, for the caller to report.
"""

from __future__ import annotations

import ast
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ...errors import UserError

TASK_LISTS = "scripts/task_list"
GENERATED = "cliport/generated_tasks"
HAND_WRITTEN = "cliport/tasks"


@dataclass(frozen=True)
class GensimName:
    name: str
    file: str | None  # relative to the checkout, as `sources.collect(gensim=...)` labels it
    cls: str | None
    classes: int  # Task classes the file defines (this project accepts files with exactly one)
    status: str  # "resolved" | "several-classes" | "unresolved"

    def to_dict(self) -> dict:
        return asdict(self)


def split_names(checkout: str | Path) -> dict[str, list[str]]:
    """Split name (file stem, e.g. `GPT_10`) -> its task names, as the checkout lists them."""
    folder = Path(checkout) / TASK_LISTS
    if not folder.is_dir():
        raise UserError(f"gensim: {checkout}: no {TASK_LISTS}/ folder; give the root of a GenSim checkout")
    out = {}
    for f in sorted(folder.glob("*.json")):
        try:
            names = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise UserError(f"{f}: not a JSON list of task names: {e}") from None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise UserError(f"{f}: not a JSON list of task names")
        out[f.stem] = names
    return out


def _classes(path: Path) -> list[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return []
    return [n.name for n in tree.body if isinstance(n, ast.ClassDef)]


def _hand_written_names(root: Path) -> dict[str, str]:
    """GenSim's `names` dict in cliport/tasks/__init__.py: task name -> class name (literal entries only)."""
    init = root / HAND_WRITTEN / "__init__.py"
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "names" for t in node.targets) \
                and isinstance(node.value, ast.Dict):
            return {k.value: v.id for k, v in zip(node.value.keys, node.value.values)
                    if isinstance(k, ast.Constant) and isinstance(k.value, str) and isinstance(v, ast.Name)}
    return {}


def registry(checkout: str | Path) -> dict[str, GensimName]:
    """Every task name GenSim's registry knows in this checkout -> where it resolves."""
    root = Path(checkout)
    out: dict[str, GensimName] = {}
    defined: dict[str, tuple[str, int]] = {}  # class -> (file, classes in the file) in cliport/tasks
    for f in sorted((root / HAND_WRITTEN).glob("*.py")):
        classes = _classes(f)
        for c in classes:
            defined.setdefault(c, (str(f.relative_to(root)), len(classes)))
    for name, cls in _hand_written_names(root).items():
        file, n = defined.get(cls, (None, 0))
        status = "unresolved" if file is None else "several-classes" if n > 1 else "resolved"
        out[name] = GensimName(name, file, cls, n, status)
    for f in sorted((root / GENERATED).glob("*.py")):
        if "init" in f.name:  # GenSim's own skip rule
            continue
        classes = _classes(f)
        name = f.stem.replace("_", "-")
        status = "unresolved" if not classes else "several-classes" if len(classes) > 1 else "resolved"
        out[name] = GensimName(name, str(f.relative_to(root)), classes[0] if classes else None, len(classes), status)
    return out


def resolve(checkout: str | Path, names: list[str]) -> list[GensimName]:
    """Each name, in order, with where it resolves (`unresolved` when GenSim's registry has no such name)."""
    known = registry(checkout)
    return [known.get(n) or GensimName(n, None, None, 0, "unresolved") for n in names]


def nearest(checkout: str | Path, files: list[str], to: list[str]) -> dict[str, tuple[float, str]]:
    """For each of `files` (checkout-relative), its most similar file among `to` by content (`tasks.content`:
    the max of the TF-IDF cosines of description text and of code 3-grams, `tasks.split`'s measure):
    (similarity, that file). A task "unseen" by a policy should not be a near-copy of one it trained on."""
    from .content import Vectors, code_terms, description_text, words
    from .split import task_name

    root = Path(checkout)
    code = {f: (root / f).read_text(encoding="utf-8") for f in {*files, *to}}
    text = Vectors({f: words(description_text(task_name(f), c)) for f, c in code.items()})
    terms = Vectors({f: code_terms(c) for f, c in code.items()})
    out = {}
    for f in files:
        sims = [(round(max(text.cosine(f, g), terms.cosine(f, g)), 4), g) for g in to if g != f]
        out[f] = max(sims) if sims else (0.0, "")
    return out
