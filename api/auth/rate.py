"""Per-caller token buckets, in this process's memory.

Each caller (a key, or an anonymous client address) has a bucket holding up to `burst`
tokens that refills at `per_minute / 60` tokens a second; a request takes one. The
buckets live in one process: with N worker processes the effective limit is N times
the setting. A shared store (Redis, PostgreSQL) is future work.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

BURST_SECONDS = 5
MAX_BUCKETS = 100_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60
        # A few seconds' worth: a page that fires a handful of queries at once is fine.
        self.burst = max(1.0, math.ceil(self.rate * BURST_SECONDS))
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def acquire(self, caller: str) -> float:
        """Take a token for `caller`: 0.0 when allowed, else the seconds until one is free."""
        now = self.clock()
        bucket = self._buckets.get(caller)
        if bucket is None:
            self._prune(now)
            bucket = self._buckets[caller] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def _prune(self, now: float) -> None:
        """Forget buckets that have refilled: they hold nothing a new bucket would not."""
        if len(self._buckets) < MAX_BUCKETS:
            return
        full_after = self.burst / self.rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < full_after}
