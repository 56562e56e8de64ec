"""SQLite response cache: a resumed or repeated run makes no duplicate model calls.

One row per *sample*: the key hashes (backend, model, kind, messages/prompt, every sampling
parameter, seed, sample index). Only deterministic samples are cached — temperature 0, or a
seed (sample i uses seed + i) — because caching an unseeded T>0 draw would silently turn
"sample again" into "return the same text again".

Many workers (processes or threads) may share one file: WAL mode lets readers run beside a
writer, `busy_timeout` plus a short retry loop absorbs writer contention, and INSERT OR
REPLACE makes a duplicate write by two racing workers harmless.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import threading
import time
from pathlib import Path

from .types import ChatRequest, Request

KEY_VERSION = 1  # bump when the key layout changes so old rows are simply never hit


def cache_dir() -> Path:
    """`$ROBOINSTRUCT_CACHE_DIR` or ~/.cache/roboinstruct (shared with the model cache)."""
    env = os.environ.get("ROBOINSTRUCT_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "roboinstruct"


def default_cache_path() -> Path:
    return cache_dir() / "llm_cache.sqlite"


def is_cacheable(req: Request) -> bool:
    return req.temperature == 0 or req.seed is not None


def cache_key(backend: str, model: str, req: Request, sample_index: int) -> str:
    body = {
        "v": KEY_VERSION,
        "backend": backend,
        "model": model,
        "kind": "chat" if isinstance(req, ChatRequest) else "completion",
        "input": list(req.messages) if isinstance(req, ChatRequest) else req.prompt,
        **req.sampling(),
        # At T=0 every sample is the same text, so they share one row.
        "sample": 0 if req.temperature == 0 else sample_index,
    }
    blob = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


class ResponseCache:
    def __init__(self, path: str | os.PathLike | None = None, retries: int = 8):
        self.path = Path(path) if path is not None else default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._retries = retries
        self._lock = threading.Lock()  # one connection, used from any thread
        self._conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        self._retrying(lambda: self._conn.execute("PRAGMA journal_mode=WAL"))
        self._conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable enough, no fsync per row
        self._retrying(
            lambda: self._conn.execute(
                "CREATE TABLE IF NOT EXISTS samples ("
                " key TEXT PRIMARY KEY, text TEXT NOT NULL, finish_reason TEXT,"
                " prompt_tokens INTEGER, completion_tokens INTEGER, created REAL)"
            )
        )

    def _retrying(self, fn):
        # busy_timeout covers most contention; this covers the "database is locked" that
        # SQLite returns immediately in some WAL checkpoint races.
        for attempt in range(self._retries):
            try:
                with self._lock:
                    return fn()
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e) or attempt == self._retries - 1:
                    raise
                time.sleep(0.05 * (2**attempt) * random.uniform(0.5, 1.0))

    def get(self, key: str) -> dict | None:
        row = self._retrying(
            lambda: self._conn.execute(
                "SELECT text, finish_reason, prompt_tokens, completion_tokens FROM samples WHERE key = ?", (key,)
            ).fetchone()
        )
        if row is None:
            return None
        return {"text": row[0], "finish_reason": row[1], "prompt_tokens": row[2], "completion_tokens": row[3]}

    def put(self, key: str, text: str, finish_reason: str | None, prompt_tokens: int, completion_tokens: int) -> None:
        self._retrying(
            lambda: self._conn.execute(
                "INSERT OR REPLACE INTO samples VALUES (?, ?, ?, ?, ?, ?)",
                (key, text, finish_reason, prompt_tokens, completion_tokens, time.time()),
            )
        )

    def __len__(self) -> int:
        return self._retrying(lambda: self._conn.execute("SELECT COUNT(*) FROM samples").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
