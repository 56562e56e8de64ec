"""When and how long to wait before retrying an HTTP model call.

Exponential backoff with jitter spreads thousands of concurrent retries over time instead of
hammering a recovering server in lock-step; a server's own Retry-After wins because it knows
its queue. Only transient failures are retried: 408/409/429, 5xx, connection errors,
timeouts and malformed bodies. Other 4xx (bad request, bad key) will not get better.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass

RETRYABLE_STATUS = frozenset({408, 409, 429})


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUS or 500 <= status <= 599


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


@dataclass(frozen=True)
class RetryPolicy:
    max_tries: int = 5  # total attempts, including the first
    backoff_base: float = 0.5  # seconds before the 2nd try; doubles each time
    backoff_max: float = 30.0
    retry_after_max: float = 120.0  # never let a server park a worker for longer than this

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Wait before try number `attempt + 1` (attempt counts from 0 = first try)."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_max)
        # "Equal jitter": at least half the exponential step, so backoff still grows.
        step = min(self.backoff_max, self.backoff_base * (2**attempt))
        return step / 2 + random.uniform(0, step / 2)
