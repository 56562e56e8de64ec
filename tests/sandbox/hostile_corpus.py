"""The hostile-program corpus (``hostile/NNN_name.py``) read into cases: headers, transforms, repeats.
The file format is documented in test_hostile.py, which runs it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HOSTILE_DIR = Path(__file__).resolve().parent / "hostile"
FILE_NAME_RE = re.compile(r"^(\d{3})_[a-z0-9_]+\.py$")
HEADER_RE = re.compile(r"^#\s*([a-z]+):\s*(.*?)\s*$")
REPEAT_START_RE = re.compile(r"^\s*# >>> repeat (\d+)\s*$")
REPEAT_END_RE = re.compile(r"^\s*# <<< repeat\s*$")
NUL_TOKEN = "<<NUL>>"


# --------------------------------------------------------------------------- #
# Corpus loading
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Case:
    name: str  # file stem, used as the pytest id
    number: int
    attack: str
    expect: str  # "rejected" | "contained"
    static: str | None  # None | "yes" | "syntax"
    transforms: tuple[str, ...]
    source: str


@dataclass
class Corpus:
    cases: list[Case] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def expand_repeats(text: str) -> str:
    out: list[str] = []
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        m = REPEAT_START_RE.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not REPEAT_END_RE.match(lines[j]):
            j += 1
        if j == len(lines):
            raise ValueError(f"unterminated '# >>> repeat' block at line {i + 1}")
        out.extend(lines[i + 1 : j] * int(m.group(1)))
        i = j + 1
    return "".join(out)


def load_case(path: Path) -> Case:
    m = FILE_NAME_RE.match(path.name)
    if not m:
        raise ValueError("file name must look like NNN_short_name.py")
    raw = path.read_text(encoding="utf-8")
    headers: dict[str, str] = {}
    order: list[str] = []
    for line in raw.splitlines():
        hm = HEADER_RE.match(line)
        if not hm:
            break
        key, value = hm.group(1), hm.group(2)
        if key not in {"attack", "expect", "static", "transform"}:
            break  # an ordinary comment; the header is over
        if key in headers:
            raise ValueError(f"duplicate header {key!r}")
        headers[key] = value
        order.append(key)
    if order[:2] != ["attack", "expect"]:
        raise ValueError("first two lines must be '# attack: ...' and '# expect: ...'")
    if not headers["attack"]:
        raise ValueError("empty '# attack:' description")
    expect = headers["expect"].split()[0] if headers["expect"] else ""
    if expect not in ("rejected", "contained"):
        raise ValueError(f"'# expect:' must be rejected|contained, got {headers['expect']!r}")
    static = headers.get("static")
    if static not in (None, "yes", "syntax"):
        raise ValueError(f"'# static:' must be yes|syntax, got {static!r}")
    if static and expect != "rejected":
        raise ValueError("'# static:' only makes sense with '# expect: rejected'")
    transforms = tuple(t.strip() for t in headers.get("transform", "").split(",") if t.strip())
    source = raw
    for t in transforms:
        if t == "nul":
            if NUL_TOKEN not in source:
                raise ValueError(f"transform nul but no {NUL_TOKEN} token")
            source = source.replace(NUL_TOKEN, "\x00")
        else:
            raise ValueError(f"unknown transform {t!r}")
    source = expand_repeats(source)
    return Case(
        name=path.stem,
        number=int(m.group(1)),
        attack=headers["attack"],
        expect=expect,
        static=static,
        transforms=transforms,
        source=source,
    )


def load_corpus() -> Corpus:
    corpus = Corpus()
    if not HOSTILE_DIR.is_dir():
        corpus.problems.append(f"missing directory {HOSTILE_DIR}")
        return corpus
    for path in sorted(HOSTILE_DIR.iterdir()):
        if path.name.startswith(".") or path.name == "__pycache__":
            continue
        try:
            corpus.cases.append(load_case(path))
        except Exception as exc:  # reported by test_corpus_is_well_formed
            corpus.problems.append(f"{path.name}: {exc}")
    return corpus


CORPUS = load_corpus()
CASES = CORPUS.cases
CASE_IDS = [c.name for c in CASES]
CASE_INDEX = {c.name: i for i, c in enumerate(CASES)}


def compiles(source: str) -> BaseException | None:
    try:
        compile(source, "<hostile>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return exc
    return None
