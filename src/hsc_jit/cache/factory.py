"""Cache and event bus from settings: Redis when ``HSC_REDIS_URL`` is set, in-process otherwise."""

from __future__ import annotations

from hsc_jit.cache.base import Cache
from hsc_jit.cache.events import BusBackend, EventBus, MemoryBus
from hsc_jit.cache.memory import MemoryCache
from hsc_jit.cache.tiered import TieredCache
from hsc_jit.config import Settings


def build_cache(settings: Settings, namespace: str = "hsc") -> TieredCache:
    l2: Cache | None = None
    if settings.redis_url:
        from hsc_jit.cache.redis import RedisCache

        l2 = RedisCache.from_url(
            settings.redis_url, settings.redis_timeout_s, settings.redis_retry_after_s
        )
    return TieredCache(
        MemoryCache(settings.cache_l1_max_items, max_bytes=settings.cache_l1_max_bytes),
        l2,
        default_ttl_s=settings.cache_default_ttl_s,
        namespace=namespace,
        l1_max_ttl_s=settings.cache_l1_max_ttl_s,
    )


def build_event_bus(settings: Settings) -> EventBus:
    return EventBus(
        bus_backend(
            settings.redis_url or "memory://",
            settings.redis_timeout_s,
            settings.redis_retry_after_s,
        )
    )


def bus_backend(url: str, timeout_s: float, retry_after_s: float) -> BusBackend:
    """The backend for ``url``'s scheme; Redis is imported only when asked for."""
    scheme = url.split("://", 1)[0]
    if scheme == "memory":
        return MemoryBus()
    if scheme in ("redis", "rediss", "unix"):
        from hsc_jit.cache.redis_events import RedisBus

        return RedisBus.from_url(url, timeout_s, retry_after_s)
    # The scheme only: the rest of the URL may carry a password.
    raise ValueError(f"event bus URL scheme {scheme!r} is not one of memory, redis, rediss, unix")
