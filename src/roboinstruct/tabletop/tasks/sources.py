"""Where task files come from: the base library, files and folders, a GenSim checkout.

`--gensim PATH` reads a checkout of liruiw/GenSim unchanged: the task files in `cliport/tasks`
and `cliport/generated_tasks` (the framework modules beside them are skipped), the way
`roboeval:PATH` reads RoboEval. Their imports resolve to this project's stand-ins.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import UserError
from ..catalogue.urdf import checkout_assets, checkout_dynamics
from ..checkout_files import inside, read_text
from ..validate.taskcode import MAX_SOURCE_BYTES
from ..validate.verdict import Candidate

LIBRARY = Path(__file__).parent / "library"
GENSIM_DIRS = ("cliport/tasks", "cliport/generated_tasks")
NOT_TASKS = {"__init__.py", "task.py", "grippers.py", "primitives.py", "cameras.py"}


def library() -> dict[str, Path]:
    """Base-library task name (file stem with dashes) -> file."""
    return {f.stem.replace("_", "-"): f for f in sorted(LIBRARY.glob("*.py")) if f.name != "__init__.py"}


def _read(path: Path, label: str, dialect: str = "roboinstruct", assets: dict | None = None) -> Candidate:
    try:
        return Candidate(label, path.read_text(encoding="utf-8"), dialect, assets or {})
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"cannot read task file {path}: {getattr(e, 'strerror', None) or e}") from None


def gensim_files(checkout: str | Path) -> list[Path]:
    """The checkout's task files: regular files inside it (a link to /dev/zero or out of the checkout is
    not one of its task files: checkout_files)."""
    root = Path(checkout)
    dirs = [root / d for d in GENSIM_DIRS if (root / d).is_dir()]
    if not dirs:
        raise UserError(f"--gensim {checkout}: no {' or '.join(GENSIM_DIRS)} folder there; give the root of a "
                        f"GenSim checkout (git clone https://github.com/liruiw/GenSim)")
    return [f for d in dirs for f in sorted(d.glob("*.py")) if f.name not in NOT_TASKS and inside(f, root)]


def read_gensim_file(path: Path, root: Path) -> str:
    """A checkout's task file, bounded: a longer one is read one byte past the checker's limit (refused
    there as too long), never to its end."""
    return read_text(path, root, MAX_SOURCE_BYTES) or ""


def collect(paths: list[str], gensim: str | None = None) -> list[Candidate]:
    """Candidates for PATHs (files, folders, or base-library task names) and/or a GenSim checkout."""
    out: list[Candidate] = []
    names = library()
    for item in paths:
        path = Path(item)
        if path.is_dir():
            files = sorted(f for f in path.glob("*.py") if f.name != "__init__.py")
            if not files:
                raise UserError(f"{item}: no .py task files in this folder")
            out += [_read(f, str(f)) for f in files]
        elif path.is_file():
            out.append(_read(path, str(path)))
        elif item in names:
            out.append(_read(names[item], item))
        else:
            raise UserError(f"{item}: no such file, folder or library task (`roboinstruct tabletop tasks` lists them)")
    if gensim:
        root = Path(gensim)
        files = gensim_files(root)
        assets, dynamics = checkout_assets(root), checkout_dynamics(root)
        out += [Candidate(str(f.relative_to(root)), read_gensim_file(f, root), "gensim", assets, dynamics)
                for f in files]
    if not out:
        raise UserError("nothing to validate: give task files, folders, library task names or --gensim PATH")
    return out
