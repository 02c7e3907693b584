"""Keeping every instance current after an import or a cache purge anywhere.

An import publishes on the event bus (Redis pub/sub when configured) and bumps the catalog
version in the database; instances rebuild on the message, and poll the version as a fallback
for a missed message or an import made with the bus down. A purge is announced the same way, so
every instance drops its in-process copies too.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import structlog

from hsc_jit.cache.events import EventBus

if TYPE_CHECKING:
    from hsc_jit.api.state import AppState

log = structlog.get_logger(__name__)
CONTROL_CHANNEL = "hsc:control"


async def watch_catalog(state: AppState) -> None:
    listener = asyncio.create_task(_listen(state))
    try:
        while True:
            await asyncio.sleep(state.settings.catalog_poll_s)
            await state.holder.try_reload()
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener


async def _listen(state: AppState) -> None:
    while True:
        try:
            async with state.bus.subscribe(CONTROL_CHANNEL) as messages:
                async for message in messages:
                    await _handle(state, message)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("catalog.listen_failed", error=type(exc).__name__)
            await asyncio.sleep(state.settings.redis_retry_after_s)


async def _handle(state: AppState, message: dict[str, Any]) -> None:
    if message.get("kind") == "purge":
        name = message.get("cache")
        await state.cache.purge(name if isinstance(name, str) else None)
        log.info("cache.purge_announced", cache=name)
    else:
        log.info("catalog.change_announced", version=message.get("version"))
        await state.holder.try_reload()


async def announce(bus: EventBus, message: dict[str, Any]) -> None:
    try:
        await bus.publish(CONTROL_CHANNEL, message)
    except Exception as exc:  # the others notice a catalog change by polling
        log.warning("control.announce_failed", kind=message.get("kind"), error=type(exc).__name__)


async def announce_catalog_change(state: AppState) -> None:
    await state.holder.try_reload()
    version = state.holder.current.version if state.holder.current else None
    await announce(state.bus, {"kind": "catalog", "version": version})
