"""Token buckets for typing and queries, per connection and per client IP."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from cachetools import LRUCache


@dataclass(slots=True)
class TokenBucket:
    rate_per_s: float
    burst: float
    tokens: float = -1.0
    updated: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.burst

    def take(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate_per_s)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class KeyedLimiter:
    """One bucket per key (an IP), bounded so a spray of addresses cannot grow memory."""

    def __init__(self, rate_per_s: float, burst: float, max_keys: int = 50_000) -> None:
        self._rate = rate_per_s
        self._burst = burst
        self._buckets: LRUCache[str, TokenBucket] = LRUCache(maxsize=max_keys)

    def take(self, key: str) -> bool:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = TokenBucket(self._rate, self._burst)
            self._buckets[key] = bucket
        return bucket.take()


@dataclass(slots=True)
class Limits:
    """The limiters one app instance shares between its connections."""

    typing_per_ip: KeyedLimiter
    query_per_ip: KeyedLimiter

    @classmethod
    def create(
        cls,
        typing_rate: float,
        typing_burst: int,
        query_per_min: float,
        query_burst: int,
        ip_x: float,
    ) -> Limits:
        return cls(
            typing_per_ip=KeyedLimiter(typing_rate * ip_x, typing_burst * ip_x),
            query_per_ip=KeyedLimiter(query_per_min / 60 * ip_x, query_burst * ip_x),
        )
