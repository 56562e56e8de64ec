"""Append-only stage records: one JSONL file per stage, flushed and fsynced per record.

A run killed at any moment (even mid-write) resumes from these files: a torn last line
is ignored and its record is simply produced again; keys make re-appends idempotent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator


class RecordFile:
    def __init__(self, path: Path, key: tuple[str, ...] = ("id",)):
        self.path = Path(path)
        self.key_fields = key
        self.records: dict[tuple, dict] = {}
        self._fh = None
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
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("a", encoding="utf-8")
        self._fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self.records[k] = rec
        return True

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
