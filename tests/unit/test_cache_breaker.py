"""After a Redis failure: one warning, every failure counted, one trial per retry window."""

from __future__ import annotations

from prometheus_client import REGISTRY

from hsc_jit.cache.breaker import Breaker
from tests.utils.cache_testing import FakeClock, capture_all_logs


def redis_errors(operation: str) -> float:
    return REGISTRY.get_sample_value("redis_errors_total", {"operation": operation}) or 0.0


def test_outage_warns_once_counts_each_failure_and_recovers_with_a_log() -> None:
    clock = FakeClock()
    breaker = Breaker(retry_after_s=5, clock=clock)
    before = redis_errors("breaker_test")

    with capture_all_logs() as logs:
        assert breaker.allow()
        breaker.failed("breaker_test", ConnectionError("refused"))
        assert not breaker.allow()

        clock.now = 5.0
        assert breaker.allow()  # the one trial of this window
        assert not breaker.allow()
        breaker.failed("breaker_test", ConnectionError("refused"))

        clock.now = 10.0
        assert breaker.allow()
        breaker.succeeded()
        breaker.succeeded()

    assert redis_errors("breaker_test") - before == 2
    assert [(e["event"], e["log_level"]) for e in logs] == [
        ("cache.redis_unavailable", "warning"),
        ("cache.redis_recovered", "info"),
    ]
    assert not breaker.degraded
    assert breaker.allow()
