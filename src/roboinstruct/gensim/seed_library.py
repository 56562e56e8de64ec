"""The library a run starts from (`--library`): the base library (default), a folder of task files,
or `gensim:PATH` — the base library plus a GenSim checkout's accepted tasks, as GenSim's own
top-down mode starts from its whole task library.

`gensim:PATH` takes PATH as a `roboinstruct tabletop dataset` folder (read as is) or as a checkout,
built once into the run directory's `gensim-library/` (`tabletop.tasks.gensim_dataset`: the tasks
too close to GenSim's fine-tuning targets held out, the rest validated under GenSim's rule) and read
from there on resume. Its tasks then serve the loop as any library task does: listed in the propose
prompt, retrieved as code examples, compared against by the novelty checks. A GenSim task named like
a base-library task does not replace it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import UserError
from ..tabletop.tasks.sources import LIBRARY
from .library import Entry, Library

PREFIX = "gensim:"
FOLDER = "gensim-library"


def gensim_entries(path: str, run_dir: Path, settings: dict, validator: Callable | None = None) -> list[Entry]:
    """Library entries for the accepted, non-held-out tasks of a GenSim dataset folder or checkout.
    `settings`: DatasetSettings fields for a build (seeds, tau, seed, workers)."""
    from ..tabletop.tasks.gensim_dataset import DatasetSettings, build, is_dataset, read_rows

    if not path:
        raise UserError("--library gensim:PATH needs a path: a GenSim checkout or a `tabletop dataset` folder")
    folder = Path(path)
    if not is_dataset(folder):
        folder = run_dir / FOLDER
        if not is_dataset(folder):
            build(path, folder, DatasetSettings(**settings).validate(), validator)
    return [Entry(r["name"], r["description"], r["code"], sorted(r.get("assets") or []), "gensim",
                  {"file": r["file"], "content_hash": r["content_hash"], "verdict": r["verdict"]})
            for r in read_rows(folder)]


def starting_library(spec: str | None, run_dir: Path, settings: dict, validator: Callable | None = None) -> Library:
    if spec and spec.startswith(PREFIX):
        library = Library.from_folder(LIBRARY)
        for entry in gensim_entries(spec[len(PREFIX):], run_dir, settings, validator):
            if entry.name not in library:
                library.add(entry)
        return library
    folder = Path(spec) if spec else LIBRARY
    if not folder.is_dir():
        raise UserError(f"--library {spec}: no such folder (give a folder of task files or gensim:PATH)")
    return Library.from_folder(folder)
