"""The event bus on Redis pub/sub; a subscription reconnects by itself after an outage."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from hsc_jit.cache.redis import REDIS_FAILURES, connect
from hsc_jit.observability.metrics import REDIS_ERRORS

log = structlog.get_logger(__name__)


class RedisBus:
    def __init__(self, client: Redis, timeout_s: float, retry_after_s: float) -> None:
        self._client = client
        self._timeout_s = timeout_s
        self._retry_after_s = retry_after_s

    @classmethod
    def from_url(cls, url: str, timeout_s: float, retry_after_s: float) -> RedisBus:
        return cls(connect(url, timeout_s), timeout_s, retry_after_s)

    async def publish(self, channel: str, payload: bytes) -> None:
        """Raises when Redis is down: the caller decides whether a lost message matters."""
        try:
            await self._client.publish(channel, payload)
        except REDIS_FAILURES:
            REDIS_ERRORS.labels(operation="publish").inc()
            raise

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        subscription = _Subscription(
            self._client.pubsub(), channel, self._timeout_s, self._retry_after_s
        )
        await subscription.start()
        try:
            yield subscription
        finally:
            await subscription.aclose()

    async def close(self) -> None:
        await self._client.aclose()


class _Subscription:
    """Payloads on one channel; on a failure: count, warn once, wait, subscribe again."""

    def __init__(
        self, pubsub: PubSub, channel: str, timeout_s: float, retry_after_s: float
    ) -> None:
        self._pubsub = pubsub
        self._channel = channel
        self._timeout_s = timeout_s
        self._retry_after_s = retry_after_s
        self._failing = False

    async def start(self) -> None:
        """Subscribe now if Redis answers; otherwise iteration keeps trying."""
        await self._subscribe()

    def __aiter__(self) -> _Subscription:
        return self

    async def __anext__(self) -> bytes:
        while True:
            if not self._pubsub.subscribed:
                await asyncio.sleep(self._retry_after_s)
                await self._subscribe()
                continue
            try:
                # Blocks without a read timeout (pub/sub reads are exempt from socket_timeout);
                # a dropped connection raises at once.
                message = await self._pubsub.get_message(timeout=None)
            except REDIS_FAILURES as exc:
                await self._failed(exc)
                continue
            # Subscribe confirmations also arrive here after redis-py reconnects on its own.
            if message is not None and message["type"] == "message":
                payload: bytes = message["data"]
                return payload

    async def _subscribe(self) -> None:
        try:
            await self._pubsub.subscribe(self._channel)
            # Wait for the confirmation: once it is in, later publishes reach this subscriber.
            confirmation = await self._pubsub.get_message(timeout=self._timeout_s)
            if confirmation is None or confirmation["type"] != "subscribe":
                raise TimeoutError(f"no confirmation for SUBSCRIBE {self._channel}")
        except REDIS_FAILURES as exc:
            await self._failed(exc)
            return
        if self._failing:
            self._failing = False
            log.info("events.redis_recovered", channel=self._channel)

    async def _failed(self, error: BaseException) -> None:
        REDIS_ERRORS.labels(operation="subscribe").inc()
        if not self._failing:
            self._failing = True
            log.warning(
                "events.redis_unavailable",
                channel=self._channel,
                error=type(error).__name__,
                retry_after_s=self._retry_after_s,
            )
        # Drop the connection and the channel list; the next round subscribes from scratch.
        await self.aclose()

    async def aclose(self) -> None:
        await self._pubsub.aclose()  # type: ignore[no-untyped-call]
