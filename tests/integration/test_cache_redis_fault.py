"""Redis dies mid-run: requests go on from L1, /health says degraded, and it all comes back.

The test runs its own redis-server on a spare port; the shared one on 6379 is never touched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from hsc_jit.cache.events import EventBus
from hsc_jit.cache.factory import build_cache, build_event_bus
from hsc_jit.cache.tiered import TieredCache
from hsc_jit.config import Settings
from tests.integration._services import RedisServer, own_redis_server
from tests.utils.cache_testing import capture_all_logs

pytestmark = pytest.mark.integration

RETRY_AFTER_S = 0.3


@pytest.fixture
def server() -> Iterator[RedisServer]:
    with own_redis_server() as running:
        yield running


@pytest.fixture
def fault_settings(tmp_path: Path, server: RedisServer) -> Settings:
    return Settings(
        data_dir=tmp_path,
        redis_url=server.url,
        redis_timeout_s=0.3,
        redis_retry_after_s=RETRY_AFTER_S,
    )


def redis_errors() -> float:
    return sum(
        sample.value
        for metric in REGISTRY.collect()
        if metric.name == "redis_errors"
        for sample in metric.samples
        if sample.name == "redis_errors_total"
    )


async def wait_until_ok(cache: TieredCache) -> None:
    """Poll status() alone, as /health does: no other traffic drives the recovery."""
    for _ in range(200):
        if cache.status() == "ok":
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the cache did not recover within 10 s")


async def test_outage_degrades_to_l1_and_recovers_by_itself(
    server: RedisServer, fault_settings: Settings
) -> None:
    cache = build_cache(fault_settings)
    try:
        await cache.set("docs", "before", {"v": 1})
        assert cache.status() == "ok"
        errors_before = redis_errors()

        server.kill()
        with capture_all_logs() as logs:
            assert await cache.get("docs", "before") == {"v": 1}
            await cache.set("docs", "during", {"v": 2})
            assert await cache.get("docs", "during") == {"v": 2}

            async def compute() -> str:
                return "computed"

            assert await cache.get_or_compute("docs", "new", 60, compute) == ("computed", False)
            async with cache.lock("fetch:x", timeout=5):
                pass
            assert cache.status() == "degraded"
            await asyncio.sleep(RETRY_AFTER_S)
            assert await cache.get("docs", "missing") is None  # the next trial fails too

            server.start()
            await wait_until_ok(cache)

        warnings = [e for e in logs if e["log_level"] == "warning"]
        assert [e["event"] for e in warnings] == ["cache.redis_unavailable"]
        assert [e["event"] for e in logs if e["event"] == "cache.redis_recovered"] == [
            "cache.redis_recovered"
        ]
        assert redis_errors() > errors_before

        # L2 works again: another instance reads what this one writes now.
        await cache.set("docs", "after", {"v": 3})
        other = build_cache(fault_settings)
        try:
            assert await other.get("docs", "after") == {"v": 3}
        finally:
            await other.close()
    finally:
        await cache.close()


async def test_a_subscription_comes_back_after_an_outage(
    server: RedisServer, fault_settings: Settings
) -> None:
    publisher, listener = build_event_bus(fault_settings), build_event_bus(fault_settings)
    try:
        with capture_all_logs() as logs:
            await _outage_and_back(server, publisher, listener)
        assert [(e["event"], e["log_level"]) for e in logs] == [
            ("events.redis_unavailable", "warning"),
            ("events.redis_recovered", "info"),
        ]
    finally:
        await publisher.close()
        await listener.close()


async def _outage_and_back(server: RedisServer, publisher: EventBus, listener: EventBus) -> None:
    async with listener.subscribe("catalog") as messages:
        await publisher.publish("catalog", {"n": 0})
        assert await asyncio.wait_for(anext(messages), 5) == {"n": 0}

        server.kill()
        waiting = asyncio.ensure_future(anext(messages))
        await asyncio.sleep(RETRY_AFTER_S * 2)
        assert not waiting.done()  # still waiting: the outage raised nothing to the caller

        server.start()
        # Messages sent while the subscriber is not yet back are lost, so keep announcing.
        async with asyncio.timeout(10):
            while not waiting.done():
                await publisher.publish("catalog", {"n": 1})
                await asyncio.sleep(0.1)
        assert waiting.result() == {"n": 1}
