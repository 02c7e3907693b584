"""Expiry after ``HSC_CONVERSATION_RETENTION_DAYS``: conversations (with their turns and
ratings) idle that long, tickets delivered that long ago, failed searches not seen since and
unanswered questions asked before.

An undelivered ticket is never deleted, whatever its age. Every instance prunes hourly; the
deletes are idempotent, so instances pruning at once do no harm.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog import repository
from hsc_jit.catalog.db import transaction
from hsc_jit.catalog.models import utcnow
from hsc_jit.support import conversations, searches, tickets

log = structlog.get_logger(__name__)
PRUNE_EVERY_S = 3600.0


async def prune(
    sessionmaker: async_sessionmaker[AsyncSession], retention_days: int, now: datetime | None = None
) -> None:
    """Delete what is older than the retention, as of ``now``."""
    before = (now or utcnow()) - timedelta(days=retention_days)
    async with transaction(sessionmaker) as session:
        deleted = {
            "conversations": await conversations.delete_idle(session, before),
            "tickets": await tickets.delete_delivered(session, before),
            "searches": await searches.delete_unseen(session, before),
            "unanswered": await repository.delete_unanswered(session, before),
        }
    if any(deleted.values()):
        log.info("retention.pruned", **deleted)


async def keep_pruning(sessionmaker: async_sessionmaker[AsyncSession], retention_days: int) -> None:
    """Prune now and then hourly, until cancelled."""
    while True:
        try:
            await prune(sessionmaker, retention_days)
        except Exception as exc:  # the database is away: next hour
            log.warning("retention.failed", error=type(exc).__name__)
        await asyncio.sleep(PRUNE_EVERY_S)
