"""The in-process layer: an LRU bounded by item count, with a TTL per entry.

It is L1 in every deployment and, shared between two ``TieredCache`` objects, the in-memory twin
of Redis in tests.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from cachetools import LRUCache

from hsc_jit.cache.base import Entry


class _Slot(NamedTuple):
    payload: bytes
    expires_at: float


class MemoryCache:
    """LRU eviction past ``max_items`` or ``max_bytes``; each entry expires after its own TTL.

    An expired entry is dropped when it is next read, or evicted as the least recently used:
    a cache that sorted entries by expiry (cachetools' TLRU) cost three times as much a read,
    and every keystroke reads one.
    """

    def __init__(
        self,
        max_items: int,
        timer: Callable[[], float] = time.monotonic,
        max_bytes: int | None = None,
    ) -> None:
        self._timer = timer
        if max_bytes is None:
            self._items: LRUCache[str, _Slot] = LRUCache(max_items)
        else:
            # Every entry is charged its payload plus an equal share of the budget, so neither
            # many small entries nor a few whole manuals can pass either bound.
            share = max(1, max_bytes // max_items)
            self._items = LRUCache(max_bytes, getsizeof=lambda slot: len(slot.payload) + share)
        self._locks = NamedLocks()

    async def get(self, key: str) -> Entry | None:
        slot = self._items.get(key)
        if slot is None:
            return None
        left = slot.expires_at - self._timer()
        if left <= 0:
            self._items.pop(key, None)
            return None
        return Entry(slot.payload, left)

    async def set(self, key: str, payload: bytes, ttl_s: float) -> None:
        self._items[key] = _Slot(payload, self._timer() + ttl_s)

    async def delete(self, key: str) -> None:
        self._items.pop(key, None)

    async def purge(self, prefix: str) -> None:
        for key in [key for key in self._items if key.startswith(prefix)]:
            self._items.pop(key, None)

    def lock(self, name: str, timeout_s: float) -> AbstractAsyncContextManager[None]:
        # In one process the holder's ``async with`` always releases, so nothing needs to expire.
        del timeout_s
        return self._locks.hold(name)

    def status(self) -> Literal["ok"]:
        return "ok"

    async def close(self) -> None:
        self._items.clear()


@dataclass
class _Named:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class NamedLocks:
    """One asyncio.Lock per name, forgotten once nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, _Named] = {}

    @asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[None]:
        named = self._locks.setdefault(name, _Named())
        named.users += 1
        try:
            async with named.lock:
                yield
        finally:
            named.users -= 1
            if named.users == 0:
                del self._locks[name]
