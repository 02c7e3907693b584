"""TieredCache over an in-memory L2 twin: layering, single flight, JSON only, metrics, locks."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import uuid

import pytest
from prometheus_client import REGISTRY

from hsc_jit.cache.memory import MemoryCache
from hsc_jit.cache.tiered import TieredCache
from tests.utils.cache_testing import FakeClock


def tiered(
    l2: MemoryCache | None, namespace: str = "hsc", clock: FakeClock | None = None
) -> TieredCache:
    l1 = MemoryCache(100) if clock is None else MemoryCache(100, timer=clock)
    return TieredCache(l1, l2, default_ttl_s=60, namespace=namespace)


def counted(kind: str, layer: str, cache_name: str) -> float:
    value = REGISTRY.get_sample_value(f"cache_{kind}_total", {"layer": layer, "cache": cache_name})
    return value or 0.0


@pytest.fixture
def name() -> str:
    """A cache name of its own per test, so the process-wide counters start at zero."""
    return f"t{uuid.uuid4().hex[:12]}"


async def test_an_l2_hit_fills_l1_for_the_time_l2_has_left(name: str) -> None:
    clock = FakeClock()
    shared = MemoryCache(100, timer=clock)
    writer, reader = tiered(shared, clock=clock), tiered(shared, clock=clock)
    await writer.set(name, "k", {"answer": 42}, ttl=10)

    clock.now = 6.0
    assert await reader.get(name, "k") == {"answer": 42}
    await shared.purge("")  # from now on only the reader's L1 can answer
    assert await reader.get(name, "k") == {"answer": 42}

    clock.now = 10.0
    assert await reader.get(name, "k") is None


async def test_delete_and_purge_reach_both_layers(name: str) -> None:
    shared = MemoryCache(100)
    mine, other_namespace = tiered(shared), tiered(shared, namespace="other")
    for cache_name in (name, f"{name}_b"):
        await mine.set(cache_name, "1", "one")
        await mine.set(cache_name, "2", "two")
    await other_namespace.set(name, "1", "kept")

    await mine.delete(name, "1")
    assert await mine.get(name, "1") is None
    await mine.purge(name)
    assert await mine.get(name, "2") is None
    assert await mine.get(f"{name}_b", "2") == "two"

    await mine.purge()
    assert await tiered(shared).get(f"{name}_b", "2") is None
    assert await other_namespace.get(name, "1") == "kept"


async def test_concurrent_misses_compute_once(name: str) -> None:
    cache = tiered(MemoryCache(100))
    calls = 0

    async def compute() -> dict[str, int]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return {"n": 1}

    results = await asyncio.gather(
        *(cache.get_or_compute(name, "k", 60, compute) for _ in range(20))
    )

    assert calls == 1
    assert results == [({"n": 1}, False)] * 20
    results[0][0]["n"] = 99  # each caller gets its own copy
    assert results[1][0] == {"n": 1}
    assert await cache.get_or_compute(name, "k", 60, compute) == ({"n": 1}, True)
    assert calls == 1


async def test_a_failure_reaches_every_waiter_and_is_not_cached(name: str) -> None:
    cache = tiered(MemoryCache(100))
    calls = 0

    async def compute() -> str:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        if calls == 1:
            raise RuntimeError("upstream down")
        return "fine"

    outcomes = await asyncio.gather(
        *(cache.get_or_compute(name, "k", 60, compute) for _ in range(5)),
        return_exceptions=True,
    )

    assert calls == 1
    assert all(isinstance(o, RuntimeError) and str(o) == "upstream down" for o in outcomes)
    assert await cache.get(name, "k") is None
    assert await cache.get_or_compute(name, "k", 60, compute) == ("fine", False)


async def test_a_caller_that_leaves_does_not_cancel_the_work_for_others(name: str) -> None:
    cache = tiered(None)
    started = asyncio.Event()

    async def compute() -> str:
        started.set()
        await asyncio.sleep(0.02)
        return "done"

    leaver = asyncio.create_task(cache.get_or_compute(name, "k", 60, compute))
    await started.wait()
    stayer = asyncio.create_task(cache.get_or_compute(name, "k", 60, compute))
    await asyncio.sleep(0)
    leaver.cancel()

    assert await stayer == ("done", False)
    assert leaver.cancelled()


async def test_values_come_back_as_json_types_on_miss_and_hit_alike(name: str) -> None:
    cache = tiered(None)

    async def compute() -> object:
        return (1, "a")

    computed, _ = await cache.get_or_compute(name, "k", 60, compute)
    hit, _ = await cache.get_or_compute(name, "k", 60, compute)
    assert computed == hit == [1, "a"]


async def test_bytes_are_stored_and_read_back_as_they_are(name: str) -> None:
    clock = FakeClock()
    shared = MemoryCache(100, timer=clock)
    writer, reader = tiered(shared, clock=clock), tiered(shared, clock=clock)
    payload = b'7 [{"not": "re-encoded"}]'
    await writer.set_bytes(name, "k", payload, ttl=10)

    assert await writer.get_bytes(name, "k") == payload
    assert await reader.get_bytes(name, "k") == payload  # from L2, and now in the reader's L1
    await shared.purge("")
    assert await reader.get_bytes(name, "k") == payload
    clock.now = 10.0
    assert await reader.get_bytes(name, "k") is None


@dataclasses.dataclass
class Point:
    x: int


@pytest.mark.parametrize("value", [{1, 2}, Point(1), dt.datetime(2026, 1, 1), {1: "int key"}])
async def test_only_json_values_are_accepted(name: str, value: object) -> None:
    cache = tiered(MemoryCache(100))

    with pytest.raises(TypeError, match=f"cache '{name}' takes JSON values only"):
        await cache.set(name, "k", value)

    async def compute() -> object:
        return value

    with pytest.raises(TypeError, match="takes JSON values only"):
        await cache.get_or_compute(name, "k", 60, compute)
    assert await cache.get(name, "k") is None


async def test_decorator_caches_by_the_key_function(name: str) -> None:
    cache = tiered(None)
    calls: list[int] = []

    @cache.cached(name, ttl=60, key=lambda user_id: f"user:{user_id}")
    async def load_user(user_id: int) -> dict[str, int]:
        """Load a user."""
        calls.append(user_id)
        return {"id": user_id}

    assert await load_user(1) == {"id": 1}
    assert await load_user(1) == {"id": 1}
    assert await load_user(2) == {"id": 2}
    assert calls == [1, 2]
    assert load_user.__name__ == "load_user"


async def test_hits_and_misses_are_counted_per_layer_and_cache(name: str) -> None:
    shared = MemoryCache(100)
    first, second = tiered(shared), tiered(shared)

    async def compute() -> str:
        return "v"

    await first.get_or_compute(name, "k", 60, compute)  # L1 miss, L2 miss
    await second.get_or_compute(name, "k", 60, compute)  # L1 miss, L2 hit
    await second.get_or_compute(name, "k", 60, compute)  # L1 hit

    assert counted("misses", "l1", name) == 2
    assert counted("misses", "l2", name) == 1
    assert counted("hits", "l2", name) == 1
    assert counted("hits", "l1", name) == 1


async def test_long_keys_are_hashed_inside_the_namespace(name: str) -> None:
    shared = MemoryCache(100)
    cache = tiered(shared)
    long_key = "q" * 1000

    await cache.set(name, long_key, "v")

    digest = hashlib.sha256(long_key.encode()).hexdigest()
    assert await shared.get(f"hsc:{name}:{digest}") is not None
    assert await cache.get(name, long_key) == "v"


@pytest.mark.parametrize("bad", ["a:b", "a*", "", "a b"])
async def test_cache_names_that_would_break_the_namespace_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="cache name"):
        await tiered(None).get(bad, "k")


async def test_status_says_whether_there_is_a_shared_layer() -> None:
    assert tiered(None).status() == "disabled"
    assert tiered(MemoryCache(10)).status() == "ok"


async def test_lock_is_shared_by_caches_on_the_same_l2() -> None:
    shared = MemoryCache(10)
    first, second = tiered(shared), tiered(shared)
    events: list[str] = []

    async def work(cache: TieredCache, who: str) -> None:
        async with cache.lock("fetch:doc", timeout=5):
            events.append(f"{who} in")
            await asyncio.sleep(0.01)
            events.append(f"{who} out")

    await asyncio.gather(work(first, "a"), work(second, "b"), work(first, "c"))

    assert [e.split()[1] for e in events] == ["in", "out"] * 3


async def test_with_l2_an_instance_sees_another_ones_update_within_the_l1_cap(name: str) -> None:
    clock = FakeClock()
    shared = MemoryCache(100, timer=clock)
    writer = TieredCache(MemoryCache(100, timer=clock), shared, 60, l1_max_ttl_s=5)
    reader = TieredCache(MemoryCache(100, timer=clock), shared, 60, l1_max_ttl_s=5)
    await writer.set(name, "doc", "v1", ttl=3600)
    assert await reader.get(name, "doc") == "v1"

    await writer.set(name, "doc", "v2", ttl=3600)
    clock.now = 4.9
    assert await reader.get(name, "doc") == "v1"  # still its own L1 copy
    clock.now = 5.0
    assert await reader.get(name, "doc") == "v2"


async def test_without_l2_the_l1_cap_does_not_apply(name: str) -> None:
    clock = FakeClock()
    alone = TieredCache(MemoryCache(100, timer=clock), None, 60, l1_max_ttl_s=5)
    await alone.set(name, "doc", "v1", ttl=3600)
    clock.now = 3000
    assert await alone.get(name, "doc") == "v1"
