"""Token buckets refuse past the burst and refill at their rate."""

from __future__ import annotations

from hsc_jit.api.ratelimit import KeyedLimiter, TokenBucket


def test_bucket_allows_burst_then_refills() -> None:
    bucket = TokenBucket(rate_per_s=2, burst=3, updated=0.0)
    assert [bucket.take(now=0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(now=0.4) is False
    assert bucket.take(now=0.5) is True  # 0.5 s at 2/s refilled one token


def test_keyed_limiter_separates_keys_and_stays_bounded() -> None:
    limiter = KeyedLimiter(rate_per_s=0.001, burst=1, max_keys=10)
    assert limiter.take("10.0.0.1")
    assert not limiter.take("10.0.0.1")
    assert limiter.take("10.0.0.2")
    for n in range(100):
        limiter.take(f"192.0.2.{n}")
    assert len(limiter._buckets) == 10
