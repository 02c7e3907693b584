"""L1 (this process) in front of an optional L2 (shared), with single-flight computation."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any, ParamSpec, TypeVar

from hsc_jit.cache.base import Cache, CacheStatus, check_name, decode, encode, full_key
from hsc_jit.observability.metrics import CACHE_HITS, CACHE_MISSES, counter_of

P = ParamSpec("P")
T = TypeVar("T")

_Flight = asyncio.Task[tuple[bytes, bool]]


def _count(layer: str, cache_name: str, hit: bool) -> None:
    counter_of(CACHE_HITS if hit else CACHE_MISSES, layer=layer, cache=cache_name).inc()


def _observe(task: _Flight) -> None:
    # Retrieve the outcome even when every waiter was cancelled, so asyncio does not log
    # "exception was never retrieved".
    if not task.cancelled():
        task.exception()


class TieredCache:
    """Values are JSON and come back as JSON types (a tuple stored is a list read), or bytes
    stored and read as they are (``set_bytes``, ``get_bytes``).

    With an L2, L1 keeps an entry at most ``l1_max_ttl_s``: another instance's set or purge
    reaches L2 only, so this bounds how long this instance can serve the old value.
    """

    def __init__(
        self,
        l1: Cache,
        l2: Cache | None,
        default_ttl_s: float,
        namespace: str = "hsc",
        l1_max_ttl_s: float | None = None,
    ) -> None:
        self._l1 = l1
        self._l2 = l2
        self._default_ttl_s = default_ttl_s
        self._l1_max_ttl_s = l1_max_ttl_s if l2 is not None else None
        self._namespace = check_name(namespace, "namespace")
        self._flights: dict[str, _Flight] = {}

    async def get(self, cache_name: str, key: str) -> Any | None:
        """The value, or None on a miss (a stored JSON null reads as a miss too)."""
        payload = await self.get_bytes(cache_name, key)
        return None if payload is None else decode(payload)

    async def set(self, cache_name: str, key: str, value: Any, ttl: float | None = None) -> None:
        """Store in both layers; TypeError when ``value`` is not plain JSON."""
        await self.set_bytes(cache_name, key, encode(value, f"cache {cache_name!r}"), ttl)

    async def get_bytes(self, cache_name: str, key: str) -> bytes | None:
        """The bytes ``set_bytes`` stored, or None on a miss."""
        full = full_key(self._namespace, cache_name, key)
        payload = await self._get_l1(cache_name, full)
        if payload is None:
            payload = await self._get_l2(cache_name, full)
        return payload

    async def set_bytes(
        self, cache_name: str, key: str, payload: bytes, ttl: float | None = None
    ) -> None:
        """Store bytes as they are in both layers: for a value already encoded, which a JSON
        round trip would only copy and escape again."""
        await self._store(full_key(self._namespace, cache_name, key), payload, ttl)

    async def delete(self, cache_name: str, key: str) -> None:
        full = full_key(self._namespace, cache_name, key)
        await self._l1.delete(full)
        if self._l2 is not None:
            await self._l2.delete(full)

    async def purge(self, cache_name: str | None = None) -> None:
        """Drop one cache by name, or every cache in this namespace, from both layers."""
        prefix = f"{self._namespace}:"
        if cache_name is not None:
            prefix += f"{check_name(cache_name)}:"
        await self._l1.purge(prefix)
        if self._l2 is not None:
            await self._l2.purge(prefix)

    async def get_or_compute(
        self,
        cache_name: str,
        key: str,
        ttl: float | None,
        compute: Callable[[], Awaitable[T]],
    ) -> tuple[T, bool]:
        """``(value, hit)``; concurrent misses for one key share a single ``compute()``.

        ``hit`` is False when the value was computed, for every caller that shared the work.
        A failure reaches every waiter and nothing is cached. The work runs in its own task,
        so a caller that goes away does not cancel it for the others.
        """
        full = full_key(self._namespace, cache_name, key)
        payload = await self._get_l1(cache_name, full)
        if payload is not None:
            return decode(payload), True
        flight = self._flights.get(full)
        if flight is None:
            flight = asyncio.create_task(self._fill(cache_name, full, ttl, compute))
            self._flights[full] = flight
            flight.add_done_callback(_observe)
            flight.add_done_callback(lambda done: self._land(full, done))
        shared, hit = await asyncio.shield(flight)
        # Decoded per caller: sharers never hold the same mutable object.
        return decode(shared), hit

    def cached(
        self, cache_name: str, ttl: float | None = None, *, key: Callable[P, str]
    ) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
        """Cache an async function's result under ``key(*args, **kwargs)``."""

        def decorate(func: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
            @functools.wraps(func)
            async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
                value, _hit = await self.get_or_compute(
                    cache_name, key(*args, **kwargs), ttl, lambda: func(*args, **kwargs)
                )
                return value

            return wrapper

        return decorate

    def lock(self, name: str, timeout: float) -> AbstractAsyncContextManager[None]:
        """Run a block once at a time across instances (in this process only, without L2).

        ``timeout`` (seconds) bounds how long the shared lock lives if its holder dies; with L2
        down the block still runs, under the in-process lock only.
        """
        return self._locked(f"{self._namespace}:{name}", timeout)

    @asynccontextmanager
    async def _locked(self, lock_name: str, expire_s: float) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            # The local lock first: waiters in this process queue here instead of polling Redis.
            await stack.enter_async_context(self._l1.lock(lock_name, expire_s))
            if self._l2 is not None:
                await stack.enter_async_context(self._l2.lock(lock_name, expire_s))
            yield

    def status(self) -> CacheStatus:
        """For /health: "disabled" without L2, else whether L2 answered last time."""
        return "disabled" if self._l2 is None else self._l2.status()

    async def close(self) -> None:
        for flight in list(self._flights.values()):
            flight.cancel()
        await self._l1.close()
        if self._l2 is not None:
            await self._l2.close()

    async def _get_l1(self, cache_name: str, full: str) -> bytes | None:
        entry = await self._l1.get(full)
        _count("l1", cache_name, entry is not None)
        return None if entry is None else entry.payload

    async def _get_l2(self, cache_name: str, full: str) -> bytes | None:
        if self._l2 is None:
            return None
        entry = await self._l2.get(full)
        _count("l2", cache_name, entry is not None)
        if entry is None:
            return None
        await self._l1.set(full, entry.payload, self._l1_ttl(entry.ttl_s))
        return entry.payload

    async def _store(self, full: str, payload: bytes, ttl_s: float | None) -> None:
        await self._l1.set(full, payload, self._l1_ttl(ttl_s))
        if self._l2 is not None:
            await self._l2.set(full, payload, self._default_ttl_s if ttl_s is None else ttl_s)

    def _l1_ttl(self, ttl_s: float | None) -> float:
        ttl_s = self._default_ttl_s if ttl_s is None else ttl_s
        return ttl_s if self._l1_max_ttl_s is None else min(ttl_s, self._l1_max_ttl_s)

    async def _fill(
        self, cache_name: str, full: str, ttl_s: float | None, compute: Callable[[], Awaitable[T]]
    ) -> tuple[bytes, bool]:
        payload = await self._get_l2(cache_name, full)
        if payload is not None:
            return payload, True
        payload = encode(await compute(), f"cache {cache_name!r}")
        await self._store(full, payload, ttl_s)
        return payload, False

    def _land(self, full: str, flight: _Flight) -> None:
        if self._flights.get(full) is flight:
            del self._flights[full]
