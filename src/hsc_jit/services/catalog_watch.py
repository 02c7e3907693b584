"""Keeping every instance current after an import or a cache purge anywhere.

An import publishes on the event bus (Redis pub/sub when configured) and bumps the catalog
version in the database; instances rebuild on the message, and poll the version as a fallback
for a missed message or an import made with the bus down. A purge is announced the same way, so
every instance drops its in-process copies too.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog

from hsc_jit.cache.events import EventBus
from hsc_jit.cache.tiered import TieredCache
from hsc_jit.services.snapshot import CatalogHolder

log = structlog.get_logger(__name__)
CONTROL_CHANNEL = "hsc:control"


async def watch_catalog(
    holder: CatalogHolder, cache: TieredCache, bus: EventBus, poll_s: float, retry_after_s: float
) -> None:
    """Rebuild ``holder`` on an announced change and every ``poll_s``; purge ``cache`` when told."""
    listener = asyncio.create_task(_listen(holder, cache, bus, retry_after_s))
    try:
        while True:
            await asyncio.sleep(poll_s)
            await holder.try_reload()
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener


async def _listen(
    holder: CatalogHolder, cache: TieredCache, bus: EventBus, retry_after_s: float
) -> None:
    while True:
        try:
            async with bus.subscribe(CONTROL_CHANNEL) as messages:
                async for message in messages:
                    await _handle(holder, cache, message)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("catalog.listen_failed", error=type(exc).__name__)
            await asyncio.sleep(retry_after_s)


async def _handle(holder: CatalogHolder, cache: TieredCache, message: dict[str, Any]) -> None:
    if message.get("kind") == "purge":
        name = message.get("cache")
        await cache.purge(name if isinstance(name, str) else None)
        log.info("cache.purge_announced", cache=name)
    else:
        log.info("catalog.change_announced", version=message.get("version"))
        await holder.try_reload()


async def announce(bus: EventBus, message: dict[str, Any]) -> None:
    try:
        await bus.publish(CONTROL_CHANNEL, message)
    except Exception as exc:  # the others notice a catalog change by polling
        log.warning("control.announce_failed", kind=message.get("kind"), error=type(exc).__name__)


async def announce_catalog_change(holder: CatalogHolder, bus: EventBus) -> None:
    """Reload this instance's snapshot, then tell the others its version."""
    await holder.try_reload()
    version = holder.current.version if holder.current else None
    await announce(bus, {"kind": "catalog", "version": version})
