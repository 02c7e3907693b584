"""A small event bus between instances ("the catalog changed, rebuild your index").

The backend comes from a URL: ``memory://`` (this process only; the twin tests use) or
``redis://`` (Redis pub/sub). Messages are JSON objects. Delivery is at most once: a message
published while a subscriber is disconnected is lost, so consumers also poll.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

import orjson
import structlog

from hsc_jit.cache.base import encode

log = structlog.get_logger(__name__)

_MAX_PENDING = 1000


class BusBackend(Protocol):
    async def publish(self, channel: str, payload: bytes) -> None: ...

    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """Subscribed on entry: anything published afterwards arrives (while connected)."""
        ...

    async def close(self) -> None: ...


class Messages:
    """The JSON objects of one subscription; anything else on the channel is skipped."""

    def __init__(self, channel: str, payloads: AsyncIterator[bytes]) -> None:
        self._channel = channel
        self._payloads = payloads

    def __aiter__(self) -> Messages:
        return self

    async def __anext__(self) -> dict[str, Any]:
        async for payload in self._payloads:
            try:
                message = orjson.loads(payload)
            except orjson.JSONDecodeError:
                message = None
            if isinstance(message, dict):
                return message
            log.warning("events.message_skipped", channel=self._channel, size=len(payload))
        raise StopAsyncIteration


class EventBus:
    """``publish`` a dict; ``async with bus.subscribe(channel) as messages: async for ...``.

    Cancel subscribers before ``close()``.
    """

    def __init__(self, backend: BusBackend) -> None:
        self._backend = backend

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        await self._backend.publish(channel, encode(message, f"event channel {channel!r}"))

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Messages]:
        async with self._backend.subscribe(channel) as payloads:
            yield Messages(channel, payloads)

    async def close(self) -> None:
        await self._backend.close()


class _QueueIterator:
    def __init__(self, queue: asyncio.Queue[bytes]) -> None:
        self._queue = queue

    def __aiter__(self) -> _QueueIterator:
        return self

    async def __anext__(self) -> bytes:
        return await self._queue.get()


class MemoryBus:
    """Queues in this process; two EventBus objects sharing one MemoryBus act as two instances."""

    def __init__(self) -> None:
        self._queues: defaultdict[str, set[asyncio.Queue[bytes]]] = defaultdict(set)

    async def publish(self, channel: str, payload: bytes) -> None:
        for queue in self._queues.get(channel, ()):
            # A subscriber that stopped reading loses messages rather than growing without bound.
            if queue.qsize() >= _MAX_PENDING:
                log.warning("events.subscriber_lagging", channel=channel)
                continue
            queue.put_nowait(payload)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        self._queues[channel].add(queue)
        try:
            yield _QueueIterator(queue)
        finally:
            self._queues[channel].discard(queue)
            if not self._queues[channel]:
                del self._queues[channel]

    async def close(self) -> None:
        self._queues.clear()
