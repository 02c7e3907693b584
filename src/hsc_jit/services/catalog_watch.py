"""Keeping every instance's snapshot current after an import anywhere.

An import publishes on the event bus (Redis pub/sub when configured) and bumps the catalog
version in the database; instances rebuild on the message, and poll the version as a fallback
for a missed message or an import made with the bus down.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from hsc_jit.api.state import AppState

log = structlog.get_logger(__name__)
CATALOG_CHANNEL = "hsc:catalog"


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
            async with state.bus.subscribe(CATALOG_CHANNEL) as messages:
                async for message in messages:
                    log.info("catalog.change_announced", version=message.get("version"))
                    await state.holder.try_reload()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("catalog.listen_failed", error=type(exc).__name__)
            await asyncio.sleep(state.settings.redis_retry_after_s)


async def announce_catalog_change(state: AppState) -> None:
    await state.holder.try_reload()
    version = state.holder.current.version if state.holder.current else None
    try:
        await state.bus.publish(CATALOG_CHANNEL, {"version": version})
    except Exception as exc:  # the others will notice by polling
        log.warning("catalog.announce_failed", error=type(exc).__name__)
