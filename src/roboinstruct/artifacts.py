"""Everything a run leaves on disk, written one way: atomic files, append-only JSONL, hashes,
fingerprints, versions, run directories and manifests.

Every domain and stage (generation, verification batches, scoring, fine-tuning, tabletop
libraries) writes through these helpers, so the guarantees hold everywhere at once:
- a kill never leaves a half-written file (write to a temporary name, then rename);
- append-only JSONL rows are flushed and fsynced one by one; a torn last line from a kill
  is cut or skipped, and that row is simply produced again;
- a run directory is named by the fingerprint of the settings that change its output, and
  a directory holding another run is refused, never mixed.
Input JSONL is strict (a bad line is one UserError naming file and line).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import UserError

# -- atomic files -----------------------------------------------------------------------


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary sibling of `path` to write; it replaces `path` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        yield tmp
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()


# A lone surrogate cannot be UTF-8, and a candidate's text can hold one (`raise ValueError("\udc80")`
# reaches a verdict's message): written as the escape `\udc80`, which JSON reads back as the same
# character, instead of an exception that ended the whole run at that row (and again on every resume).
TEXT_ERRORS = "backslashreplace"


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write a whole file atomically (text is UTF-8; a lone surrogate as its escape, TEXT_ERRORS)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode("utf-8", TEXT_ERRORS) if isinstance(data, str) else data)
    return Path(path)


def write_json(path: str | os.PathLike, obj: object) -> Path:
    return atomic_write(path, json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


# -- identity -----------------------------------------------------------------------------

ByteProgress = Callable[[int, int], None]  # (bytes_done, bytes_total)


def hash_file(path: str | os.PathLike, progress: ByteProgress | None = None) -> str:
    """sha256 hex of a file, read in 4 MiB chunks (GGUFs, adapters, dataset files)."""
    path = Path(path)
    h, done, total = hashlib.sha256(), 0, path.stat().st_size
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    return h.hexdigest()


def fingerprint(settings: object, length: int = 12) -> str:
    """Short sha256 of the settings as canonical JSON: what names a run directory.
    (The exact encoding is frozen: existing runs' fingerprints must not change.)"""
    blob = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:length]


def versions(packages: Iterable[str]) -> dict:
    """Python's version and each installed package's, for manifests and results."""
    out = {"python": platform.python_version()}
    for pkg in packages:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


# -- JSONL ------------------------------------------------------------------------------------


def read_objects(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line of an input file; anything else is a UserError."""
    try:
        lines = Path(path).read_text().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise UserError(f"{path}:{n}: not valid JSON ({e.msg}); each line must be one JSON object") from None
        if not isinstance(row, dict):
            raise UserError(f"{path}:{n}: each line must be a JSON object")
        yield n, row


def read_finished(path: Path, field: str) -> list[dict]:
    """Rows of an output file that carry `field`; torn or foreign lines are skipped."""
    rows = []
    if Path(path).exists():
        for line in Path(path).read_text().splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict) and field in row:
                rows.append(row)
    return rows


class JsonlSink:
    """Append-only output rows: each `write` is flushed and fsynced before it returns, so a
    kill loses at most the row being written; a torn last line is ended first."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and self.path.stat().st_size and not self.path.read_bytes().endswith(b"\n"):
            with self.path.open("a") as f:  # end a torn line so new rows start clean
                f.write("\n")
        self._fh = self.path.open("a", encoding="utf-8", errors=TEXT_ERRORS)

    def write(self, row: dict) -> None:
        self._fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> "JsonlSink":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class RecordFile:
    """Keyed append-only records (one stage of a run): loaded on open, a torn tail cut off,
    re-appending an existing key is a no-op, so a resumed stage repeats nothing."""

    def __init__(self, path: Path, key: tuple[str, ...] = ("id",)):
        self.path = Path(path)
        self.key_fields = key
        self.records: dict[tuple, dict] = {}
        self._sink: JsonlSink | None = None
        self._load()

    def _key(self, rec: dict) -> tuple:
        return tuple(rec.get(k) for k in self.key_fields)

    def _load(self) -> None:
        if not self.path.exists():
            return
        raw = self.path.read_bytes()
        good_end = 0
        for line in raw.split(b"\n"):
            try:
                rec = json.loads(line)
            except ValueError:
                break  # a torn tail from a kill: drop it and everything after
            if isinstance(rec, dict):
                self.records.setdefault(self._key(rec), rec)
            good_end += len(line) + 1
        if good_end < len(raw):
            with self.path.open("r+b") as f:  # cut the torn tail so appends start clean
                f.truncate(good_end)

    def __contains__(self, key) -> bool:
        return (key if isinstance(key, tuple) else (key,)) in self.records

    def get(self, *key):
        return self.records.get(tuple(key))

    def __iter__(self) -> Iterator[dict]:
        return iter(self.records.values())

    def __len__(self) -> int:
        return len(self.records)

    def append(self, rec: dict) -> bool:
        """Write the record unless one with the same key exists; True if written."""
        k = self._key(rec)
        if k in self.records:
            return False
        if self._sink is None:
            self._sink = JsonlSink(self.path)
        self._sink.write(rec)
        self.records[k] = rec
        return True

    def close(self) -> None:
        if self._sink is not None:
            self._sink.close()
            self._sink = None


# -- run directories ---------------------------------------------------------------------------


def claim_dir(directory: Path, marker: str, fingerprint: str, record: dict, what: str, flag: str = "--out",
              only_runs: bool = True) -> None:
    """Make `directory` this run's, or resume it when it already is (same fingerprint in
    `marker`); refuse a directory that holds another run (or, with `only_runs`, other files)."""
    directory = Path(directory)
    mark = directory / marker
    if mark.exists():
        try:
            held = json.loads(mark.read_text()).get("fingerprint")
        except (OSError, ValueError, AttributeError):
            raise UserError(f"{mark} is unreadable; remove it or choose another {flag}") from None
        if held != fingerprint:
            raise UserError(f"{directory} holds {what} {held} with other settings (this one is {fingerprint}); "
                            f"use a new {flag} or the same settings to resume it")
        return
    if only_runs and directory.exists() and any(p.name != marker for p in directory.iterdir()):
        raise UserError(f"{directory} exists and is not a roboinstruct run; choose another {flag}")
    write_json(mark, {"fingerprint": fingerprint, **record})
