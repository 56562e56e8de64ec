"""A GenSim checkout's files as data (`--gensim PATH`): regular files inside the checkout, read up to a bound.

A checkout is someone else's repository, and git stores symbolic links: one of its task or asset files
may name /dev/zero or /dev/urandom (read without end, by the caller, until memory runs out), a FIFO
(a read that never returns), or a host file the caller can read (it may run as root) and the sandbox
could not. Every file read from a checkout is read here: only a regular file whose real path is inside
the checkout, never more than `limit` + 1 bytes (so a caller can tell "over the limit" from "at it").
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def inside(path: str | Path, root: str | Path) -> bool:
    """Is `path`, its links followed, a regular file within `root`?"""
    try:
        real = Path(path).resolve(strict=True)
        return real.is_relative_to(Path(root).resolve(strict=True)) and real.is_file()
    except (OSError, RuntimeError):  # missing, a link loop
        return False


def read_text(path: str | Path, root: str | Path, limit: int) -> str | None:
    """The file's text (UTF-8, undecodable bytes replaced), at most `limit` + 1 bytes of it; None when it is
    not a regular file inside `root`."""
    if not inside(path, root):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since `inside` looked
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(fd)
