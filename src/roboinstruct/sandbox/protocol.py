"""What crosses between the pool (parent) and a zygote: length-prefixed frames of JSON.

Parent -> zygote, per job: a frame {"id", "task"}, then a frame with the job's nonce. The zygote
forks the candidate child *between* reading the two, and the child closes the pipe before any
untrusted code runs, so the nonce is never in a process that runs untrusted code.
Zygote -> parent: a frame {"id", "nonce", "result"}. The parent accepts a reply only when it is
exactly that, for the job it asked for, with that job's nonce (`check_reply`); anything else is
a crash of that one job.
"""

from __future__ import annotations

import hmac
import json
import os
import signal

HEADER = 10  # ASCII decimal length, zero-padded
MAX_TASK_BYTES = 64 * 1024 * 1024
MAX_REPLY_BYTES = 8 * 1024 * 1024


class ProtocolError(Exception):
    """A frame that is not one: bad header, too long, or cut short."""


def frame(payload: bytes) -> bytes:
    return b"%010d" % len(payload) + payload


def read_exact(fd: int, n: int) -> bytes | None:
    """n bytes from fd, or None at end of file before the first byte; ProtocolError if cut short."""
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            if got == 0:
                return None
            raise ProtocolError(f"frame cut short after {got} of {n} bytes")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, limit: int) -> bytes | None:
    head = read_exact(fd, HEADER)
    if head is None:
        return None
    if not head.isdigit():
        raise ProtocolError("bad frame header")
    n = int(head)
    if n > limit:
        raise ProtocolError(f"frame of {n} bytes is over the {limit}-byte limit")
    body = read_exact(fd, n) if n else b""
    if body is None:
        raise ProtocolError("frame cut short")
    return body


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def check_reply(raw: bytes | None, job_id: int, nonce: str) -> tuple[dict | None, str | None]:
    """(result, None) for a well-formed reply to this job, else (None, why not)."""
    if raw is None:
        return None, "no reply"
    try:
        reply = json.loads(raw)
    except ValueError:
        return None, "reply is not JSON"
    except RecursionError:  # nested deeper than this process's recursion limit (a child's may be higher)
        return None, "reply is nested too deeply"
    if not isinstance(reply, dict) or set(reply) != {"id", "nonce", "result"}:
        return None, "reply does not have the reply schema"
    if reply["id"] != job_id or type(reply["id"]) is not int:
        return None, f"reply is for another job ({str(reply['id'])[:40]!r}, asked {job_id})"
    if not isinstance(reply["nonce"], str) or not hmac.compare_digest(reply["nonce"], nonce):
        return None, "reply does not carry this job's nonce (forged)"
    if not isinstance(reply["result"], dict):
        return None, "reply's result is not an object"
    return reply["result"], None


def signal_reason(sig: int) -> str:
    """Why a process that died of signal `sig` died, in words (the fork server's children and the pool's workers)."""
    if sig == signal.SIGXCPU:
        return "CPU time limit exceeded"
    if sig == signal.SIGKILL:
        return "was killed (out of memory or watchdog)"
    if sig == signal.SIGSEGV:
        return "crashed (segmentation fault)"
    return f"was killed by signal {signal.Signals(sig).name}"
