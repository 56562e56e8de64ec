"""SQLite response cache: a resumed or repeated run makes no duplicate model calls.

One row per *sample*: the key hashes (backend, model, endpoint, kind, messages/prompt, every
sampling parameter, seed, sample index). The endpoint is there because a remote server's
model *name* says nothing about the weights behind it: two servers both calling their model
"qwen" must not answer for each other. It is absent when the model is named by content (the
local backend's file hash), whose loopback port is noise, not identity.

Only deterministic samples are cached — temperature 0, or a seed (sample i uses seed + i) —
because caching an unseeded T>0 draw would silently turn "sample again" into "return the
same text again".

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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .types import ChatRequest, LLMError, Request

# Bump when the key layout changes so old rows are simply never hit. Deliberately NOT bumped
# for the endpoint field: a bump would change every key and orphan users' caches of the
# embedded model, whose identity (the file hash) was always complete. OpenAI-backend keys
# change anyway, because they now carry "endpoint" — so rows written before it are never hit
# again. That is intended and safer: such a row may hold another server's answer.
KEY_VERSION = 1


def cache_dir() -> Path:
    """`$ROBOINSTRUCT_CACHE_DIR` or ~/.cache/roboinstruct (shared with the model cache)."""
    env = os.environ.get("ROBOINSTRUCT_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "roboinstruct"


def default_cache_path() -> Path:
    return cache_dir() / "llm_cache.sqlite"


def is_cacheable(req: Request) -> bool:
    return req.temperature == 0 or req.seed is not None


def endpoint_identity(base_url: str) -> str:
    """The server part of a cache key: `scheme://host:port/path`.

    Lowercased scheme and host, the default port made explicit, no trailing slash, so
    spellings of one server are one identity. `user:password@`, the query and the fragment
    are dropped: they can carry credentials, which must never reach a cache key, and they
    do not pick a different model.
    """
    parts = urlsplit(base_url.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or port == -1:
        shown = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"  # no user:key@
        raise LLMError(f"bad base URL {shown!r}: expected http(s)://host[:port][/v1]")
    scheme = parts.scheme.lower()
    host = parts.hostname  # lowercased, brackets stripped from an IPv6 literal
    if ":" in host:
        host = f"[{host}]"
    port = port if port is not None else (443 if scheme == "https" else 80)
    return f"{scheme}://{host}:{port}{parts.path.rstrip('/')}"


def cache_key(backend: str, model: str, req: Request, sample_index: int, endpoint: str | None = None) -> str:
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
    if endpoint is not None:
        # Added only when present: an endpoint-free key hashes exactly the bytes it always
        # did, which keeps existing local-backend rows reachable.
        body["endpoint"] = endpoint
    blob = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class CacheIdentity:
    """Who produced a cached text: everything in a key that is not the request.

    `endpoint` (see `endpoint_identity`) is set when `model` is only a name a server gives
    its model; it is None when `model` already pins the weights (a file hash) or the caller
    chose the namespace on purpose.
    """

    namespace: str
    model: str
    endpoint: str | None = None

    def key(self, req: Request, sample_index: int) -> str:
        return cache_key(self.namespace, self.model, req, sample_index, endpoint=self.endpoint)


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
