"""L2: Redis shared by every instance, which degrades to "not there" instead of failing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Literal, TypeVar

import structlog
from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import LockNotOwnedError, RedisError

from hsc_jit.cache.base import Entry
from hsc_jit.cache.breaker import Breaker

log = structlog.get_logger(__name__)
T = TypeVar("T")

# OSError covers refused connections and the builtin TimeoutError raised by asyncio.timeout.
REDIS_FAILURES = (RedisError, OSError)
_SCAN_BATCH = 500
_LOCK_POLL_S = 0.1


def connect(url: str, timeout_s: float) -> Redis:
    """A client on one connection pool with short timeouts.

    A pooled socket left stale by a Redis restart fails once with ConnectionError; one immediate
    retry on a fresh connection hides that. Timeouts are not retried: they would only double.
    """
    return Redis.from_url(
        url,
        socket_timeout=timeout_s,
        socket_connect_timeout=timeout_s,
        retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
    )


def _glob_escape(text: str) -> str:
    return "".join("\\" + char if char in "*?[]\\" else char for char in text)


class RedisCache:
    """Every call returns a fallback while Redis is down; the breaker decides when to retry."""

    def __init__(self, client: Redis, breaker: Breaker, lock_prefix: str = "hsc-lock") -> None:
        self._client = client
        self._breaker = breaker
        self._lock_prefix = lock_prefix
        self._probe: asyncio.Task[None] | None = None

    @classmethod
    def from_url(cls, url: str, timeout_s: float, retry_after_s: float) -> RedisCache:
        return cls(connect(url, timeout_s), Breaker(retry_after_s))

    async def _guard(self, operation: str, call: Callable[[], Awaitable[T]], fallback: T) -> T:
        if not self._breaker.allow():
            return fallback
        return await self._attempt(operation, call, fallback)

    async def _attempt(self, operation: str, call: Callable[[], Awaitable[T]], fallback: T) -> T:
        try:
            result = await call()
        except REDIS_FAILURES as exc:
            self._breaker.failed(operation, exc)
            return fallback
        self._breaker.succeeded()
        return result

    async def get(self, key: str) -> Entry | None:
        async def read() -> Entry | None:
            # GET and PTTL in one round trip, so L1 never keeps an entry longer than L2 does.
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.get(key)
                pipe.pttl(key)
                payload, pttl_ms = await pipe.execute()
            if payload is None:
                return None
            return Entry(payload, pttl_ms / 1000 if pttl_ms > 0 else None)

        return await self._guard("get", read, None)

    async def set(self, key: str, payload: bytes, ttl_s: float) -> None:
        async def write() -> None:
            await self._client.set(key, payload, px=max(1, round(ttl_s * 1000)))

        await self._guard("set", write, None)

    async def delete(self, key: str) -> None:
        async def unlink() -> None:
            await self._client.unlink(key)

        await self._guard("delete", unlink, None)

    async def purge(self, prefix: str) -> None:
        async def scan_and_unlink() -> None:
            # SCAN walks the namespace in steps and never blocks Redis the way KEYS would.
            batch: list[bytes] = []
            async for key in self._client.scan_iter(
                match=_glob_escape(prefix) + "*", count=_SCAN_BATCH
            ):
                batch.append(key)
                if len(batch) >= _SCAN_BATCH:
                    await self._client.unlink(*batch)
                    batch.clear()
            if batch:
                await self._client.unlink(*batch)

        await self._guard("purge", scan_and_unlink, None)

    @asynccontextmanager
    async def lock(self, name: str, timeout_s: float) -> AsyncIterator[None]:
        """A token lock that expires after ``timeout_s``; with Redis down, none at all."""
        lock = self._client.lock(
            f"{self._lock_prefix}:{name}",
            timeout=timeout_s,
            blocking_timeout=timeout_s,
            sleep=_LOCK_POLL_S,
            thread_local=False,
        )
        acquired = await self._guard("lock", lock.acquire, None)
        if acquired is False:
            # The holder outlived its own expiry and someone else took over: go ahead rather
            # than fail the request; at worst the work is done twice.
            log.warning("cache.lock_wait_expired", name=name, timeout_s=timeout_s)
        try:
            yield
        finally:
            if acquired:
                await self._guard("unlock", lambda: self._release(lock, name), None)

    @staticmethod
    async def _release(lock: Lock, name: str) -> None:
        try:
            await lock.release()
        except LockNotOwnedError:
            log.warning("cache.lock_expired_while_held", name=name)

    def status(self) -> Literal["ok", "degraded"]:
        """Last known state; when degraded and due, a background PING gives recovery a chance."""
        idle = self._probe is None or self._probe.done()
        if self._breaker.degraded and idle and self._breaker.allow():
            self._probe = asyncio.get_running_loop().create_task(
                self._attempt("ping", self._ping, None)
            )
        return "degraded" if self._breaker.degraded else "ok"

    async def _ping(self) -> None:
        await self._client.ping()

    async def close(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
        await self._client.aclose()
