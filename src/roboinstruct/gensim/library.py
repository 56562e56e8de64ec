"""The task library a run grows: base tasks plus accepted ones, with retrieval for prompts.

An entry is a name, a description, the assets it loads and its code. Base-library entries are
read from task files without running them (the class docstring and asset-name literals);
accepted entries carry the assets their validation actually loaded. Retrieval ranks entries
by word overlap of name + description + assets (no embedding model to download).
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..core.similarity import tokenize

ASSET_RE = re.compile(r"['\"]([a-z_]+/[\w\-]+\.urdf)['\"]")


@dataclass
class Entry:
    name: str
    description: str
    code: str
    assets: list = field(default_factory=list)
    origin: str = "base"  # base | gensim (a GenSim checkout's task, gensim.seed_library) | generated
    lineage: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    def words(self) -> set[str]:
        return set(tokenize(f"{self.name.replace('-', ' ')} {self.description}")) | {a.split("/")[0] for a in self.assets}


def describe_file(path: Path, code: str) -> Entry:
    """An entry for a task file, without executing it."""
    name = path.stem.replace("_", "-")
    description = ""
    try:
        tree = ast.parse(code)
        cls = next((n for n in tree.body if isinstance(n, ast.ClassDef)), None)
        description = (ast.get_docstring(cls) or "").strip().splitlines()[0] if cls else ""
    except SyntaxError:
        pass
    return Entry(name, description or name.replace("-", " "), code, sorted(set(ASSET_RE.findall(code))))


class Library:
    def __init__(self, entries: list[Entry]):
        self.entries: dict[str, Entry] = {}
        for e in entries:
            self.add(e)

    @classmethod
    def from_folder(cls, folder: Path) -> Library:
        files = sorted(f for f in Path(folder).glob("*.py") if f.name != "__init__.py")
        return cls([describe_file(f, f.read_text(encoding="utf-8")) for f in files])

    def add(self, entry: Entry) -> None:
        self.entries[entry.name] = entry

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def ranked(self, query: str, assets: list[str] = (), k: int = 5) -> list[Entry]:
        """The k entries most similar to a query (Jaccard of words + asset folders); ties by name."""
        q = set(tokenize(query.replace("-", " "))) | {a.split("/")[0] for a in assets}

        def score(e: Entry) -> float:
            w = e.words()
            return len(q & w) / max(1, len(q | w))

        return sorted(self.entries.values(), key=lambda e: (-score(e), e.name))[:k]

    def summary(self, query: str, k: int) -> list[Entry]:
        """What a propose prompt lists: generated tasks first (most recent), then the most relevant base tasks."""
        generated = [e for e in self.entries.values() if e.origin == "generated"][::-1]
        rest = [e for e in self.ranked(query, k=len(self.entries)) if e.origin != "generated"]
        return (generated + rest)[:k]
