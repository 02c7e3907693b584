"""L1: entries expire after their own TTL, and the least recently used go first past the bound."""

from __future__ import annotations

import asyncio

import pytest

from hsc_jit.cache.memory import MemoryCache
from tests.utils.cache_testing import FakeClock


async def test_each_entry_expires_after_its_own_ttl() -> None:
    clock = FakeClock()
    l1 = MemoryCache(10, timer=clock)
    await l1.set("short", b"1", 5)
    await l1.set("long", b"2", 50)

    clock.now = 4.0
    entry = await l1.get("short")
    assert entry is not None
    assert entry.payload == b"1"
    assert entry.ttl_s == pytest.approx(1.0)

    clock.now = 5.0
    assert await l1.get("short") is None
    assert await l1.get("long") is not None


async def test_past_the_bound_the_least_recently_used_entry_goes() -> None:
    l1 = MemoryCache(3)
    for key in ("a", "b", "c"):
        await l1.set(key, key.encode(), 60)
    await l1.get("a")  # "b" is now the least recently used

    await l1.set("d", b"d", 60)

    assert await l1.get("b") is None
    assert [await l1.get(key) is not None for key in ("a", "c", "d")] == [True, True, True]


async def test_delete_and_purge_by_prefix() -> None:
    l1 = MemoryCache(10)
    for key in ("ns:a:1", "ns:a:2", "ns:b:1"):
        await l1.set(key, b"x", 60)

    await l1.delete("ns:a:1")
    await l1.purge("ns:a:")

    assert await l1.get("ns:a:2") is None
    assert await l1.get("ns:b:1") is not None


async def test_lock_admits_one_holder_per_name_and_forgets_idle_names() -> None:
    l1 = MemoryCache(10)
    inside: list[str] = []
    most_inside = 0

    async def work(name: str) -> None:
        nonlocal most_inside
        async with l1.lock(name, timeout_s=1):
            inside.append(name)
            most_inside = max(most_inside, inside.count("doc"))
            await asyncio.sleep(0.01)
            inside.remove(name)

    await asyncio.gather(*(work("doc") for _ in range(5)), work("other"))

    assert most_inside == 1
    assert l1._locks._locks == {}


async def test_byte_budget_evicts_least_recent_and_bounds_item_count() -> None:
    cache = MemoryCache(max_items=4, max_bytes=4_000)
    await cache.set("big-1", b"x" * 1_500, 60)
    await cache.set("big-2", b"x" * 1_500, 60)
    assert await cache.get("big-1") is None  # 2 x (1500 + a 1000 share) is over 4000
    assert await cache.get("big-2") is not None
    for n in range(10):
        await cache.set(f"small-{n}", b"x", 60)
    present = [n for n in range(10) if await cache.get(f"small-{n}") is not None]
    assert 1 <= len(present) <= 4
    assert present == list(range(10 - len(present), 10))
