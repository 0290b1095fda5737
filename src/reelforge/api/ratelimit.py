"""Per-user API rate limits: a token bucket per user, in this server process.

Each user may make `burst` requests at once, refilled at `per_minute` a minute; past that a
request is 429 with `Retry-After` (the seconds until the next token). Buckets live in memory,
so with several server processes each counts its own share.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

from reelforge.errors import TooManyRequests


@dataclass
class RateLimiter:
    """Token buckets keyed by user id."""

    per_minute: int = 1200
    burst: int = 200
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # tokens, time
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, key: str, *, now: float | None = None) -> None:
        """Take one token of `key`'s bucket, or raise TooManyRequests."""
        if self.per_minute <= 0:
            return
        rate = self.per_minute / 60.0
        t = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), t))
            tokens = min(float(self.burst), tokens + (t - last) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, t)
                retry = max(1, math.ceil((1.0 - tokens) / rate))
                raise TooManyRequests(
                    f"too many requests: at most {self.per_minute} a minute "
                    "(REELFORGE_API_REQUESTS_PER_MINUTE)",
                    retry_after=retry,
                )
            self._buckets[key] = (tokens - 1.0, t)
            if len(self._buckets) > 100_000:  # forget the idle ones (they are full again)
                full = [
                    k
                    for k, (_, seen) in self._buckets.items()
                    if t - seen > 60 * self.burst / self.per_minute
                ]
                for k in full:
                    del self._buckets[k]
