"""Two instances sharing the real Redis: L2 values, purge, the lock and the event bus."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from redis.asyncio import Redis

from hsc_jit.cache.factory import build_cache, build_event_bus
from hsc_jit.cache.tiered import TieredCache
from hsc_jit.config import Settings
from tests.integration._services import redis_url

pytestmark = pytest.mark.integration


@pytest.fixture
def redis_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, redis_url=redis_url(), redis_timeout_s=1.0)


@pytest.fixture
def namespace() -> str:
    """A key prefix of this test's own in db 15, so cleaning up touches nothing else."""
    return f"hsctest-{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def raw(redis_settings: Settings, namespace: str) -> AsyncIterator[Redis]:
    """A plain client to look behind the cache; it deletes the test's keys afterwards."""
    assert redis_settings.redis_url is not None
    client = Redis.from_url(redis_settings.redis_url)
    try:
        yield client
    finally:
        for pattern in (f"{namespace}:*", f"hsc-lock:{namespace}:*"):
            async for key in client.scan_iter(match=pattern):
                await client.unlink(key)
        await client.aclose()


@pytest.fixture
async def two_instances(
    redis_settings: Settings, namespace: str, raw: Redis
) -> AsyncIterator[tuple[TieredCache, TieredCache]]:
    first = build_cache(redis_settings, namespace=namespace)
    second = build_cache(redis_settings, namespace=namespace)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


async def test_one_instance_sets_and_the_other_hits_l2(
    two_instances: tuple[TieredCache, TieredCache], raw: Redis, namespace: str
) -> None:
    first, second = two_instances
    await first.set("docs", "manual", {"pages": [[1, "Intro", "Hello"]]}, ttl=60)

    async def compute() -> dict[str, object]:
        raise AssertionError("the value is in L2")

    l2_hits = REGISTRY.get_sample_value("cache_hits_total", {"layer": "l2", "cache": "docs"}) or 0
    value, hit = await second.get_or_compute("docs", "manual", 60, compute)

    assert (value, hit) == ({"pages": [[1, "Intro", "Hello"]]}, True)
    assert REGISTRY.get_sample_value("cache_hits_total", {"layer": "l2", "cache": "docs"}) == (
        l2_hits + 1
    )
    assert 0 < await raw.pttl(f"{namespace}:docs:manual") <= 60_000
    assert first.status() == second.status() == "ok"


async def test_purge_scans_only_the_namespace(
    two_instances: tuple[TieredCache, TieredCache], raw: Redis, namespace: str
) -> None:
    first, second = two_instances
    bystander = f"{namespace}-bystander"
    await raw.set(bystander, b"untouched", ex=60)
    try:
        for n in range(1200):  # more than one SCAN batch
            await first.set("predict", str(n), n)
        await first.set("answers", "q", "a")

        await first.purge("predict")
        assert await second.get("predict", "7") is None
        assert await second.get("answers", "q") == "a"

        await second.purge()
        assert [key async for key in raw.scan_iter(match=f"{namespace}:*")] == []
        assert await second.get("answers", "q") is None
        assert await raw.get(bystander) == b"untouched"
    finally:
        await raw.unlink(bystander)


async def test_the_lock_admits_one_instance_at_a_time(
    two_instances: tuple[TieredCache, TieredCache],
) -> None:
    first, second = two_instances
    events: list[str] = []

    async def download(cache: TieredCache, who: str) -> None:
        async with cache.lock("fetch:manual.pdf", timeout=10):
            events.append(f"{who} in")
            await asyncio.sleep(0.05)
            events.append(f"{who} out")

    await asyncio.gather(download(first, "a"), download(second, "b"))

    assert [e.split()[1] for e in events] == ["in", "out", "in", "out"]


async def test_a_lock_whose_holder_died_expires(
    two_instances: tuple[TieredCache, TieredCache], raw: Redis, namespace: str
) -> None:
    first, _ = two_instances
    # A holder that crashed: its lock is never released, only its expiry frees it.
    await raw.set(f"hsc-lock:{namespace}:fetch:x", b"dead-token", px=300)
    started = asyncio.get_running_loop().time()

    async with first.lock("fetch:x", timeout=10):
        waited = asyncio.get_running_loop().time() - started

    assert 0.2 < waited < 2.0


async def test_an_event_reaches_the_other_instance(redis_settings: Settings) -> None:
    channel = f"hsctest:{uuid.uuid4().hex[:12]}"
    publisher, listener = build_event_bus(redis_settings), build_event_bus(redis_settings)
    try:
        async with listener.subscribe(channel) as messages:
            await publisher.publish(channel, {"version": "v2"})
            assert await asyncio.wait_for(anext(messages), 5) == {"version": "v2"}
    finally:
        await publisher.close()
        await listener.close()
