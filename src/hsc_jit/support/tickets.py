"""Handoff ticket queries: the outbox that delivery workers claim, mark and report on.

A claim takes due, unclaimed rows with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so instances
that claim at once get disjoint tickets, and sets a lease (``claimed_until``) with the claimer's
token; the claim commits before any HTTP call. A result is written only under the same token,
so a worker whose lease ran out cannot overwrite what another worker did since. SQLite has no
row locks (and one instance): there the lease is taken by a conditional UPDATE alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hsc_jit.support.models import HandoffTicket

_UNDELIVERED = HandoffTicket.delivered_at.is_(None)


def _unclaimed(now: datetime) -> ColumnElement[bool]:
    return or_(HandoffTicket.claimed_until.is_(None), HandoffTicket.claimed_until < now)


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(_UNDELIVERED, HandoffTicket.next_attempt_at <= now, _unclaimed(now))


@dataclass(frozen=True, slots=True)
class Backlog:
    """The undelivered tickets at a glance: the oldest one's creation, and when the next one
    nobody holds is due (a held one comes back when its lease ends)."""

    oldest_created: datetime | None
    next_due: datetime | None


async def claim_due(
    session: AsyncSession, now: datetime, lease_until: datetime, token: str, limit: int
) -> list[HandoffTicket]:
    """Claim up to ``limit`` due tickets for the holder of ``token`` until ``lease_until``."""
    candidates = (
        select(HandoffTicket.id)
        .where(_due(now))
        .order_by(HandoffTicket.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)  # not rendered on SQLite
    )
    ids = list(await session.scalars(candidates))
    if not ids:
        return []
    claimed = await session.scalars(
        update(HandoffTicket)
        # The due conditions again: on SQLite another claim may have come in between.
        .where(HandoffTicket.id.in_(ids), _due(now))
        .values(claimed_until=lease_until, claim_token=token)
        .returning(HandoffTicket)
    )
    return list(claimed)


async def mark_delivered(session: AsyncSession, ticket_id: str, token: str, now: datetime) -> None:
    await session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket_id, HandoffTicket.claim_token == token)
        .values(
            delivered_at=now,
            attempts=HandoffTicket.attempts + 1,
            last_error=None,
            claimed_until=None,
            claim_token=None,
        )
    )


async def mark_failed(
    session: AsyncSession, ticket_id: str, token: str, retry_at: datetime, error: str
) -> None:
    await session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket_id, HandoffTicket.claim_token == token)
        .values(
            attempts=HandoffTicket.attempts + 1,
            next_attempt_at=retry_at,
            last_error=error,
            claimed_until=None,
            claim_token=None,
        )
    )


async def release(session: AsyncSession, token: str) -> None:
    """Give back the undelivered tickets claimed with ``token`` (a worker that stops)."""
    await session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.claim_token == token, _UNDELIVERED)
        .values(claimed_until=None, claim_token=None)
    )


async def backlog(session: AsyncSession, now: datetime) -> Backlog:
    next_due = func.min(HandoffTicket.next_attempt_at).filter(_unclaimed(now))
    row = (
        await session.execute(
            select(func.min(HandoffTicket.created_at), next_due).where(_UNDELIVERED)
        )
    ).one()
    return Backlog(row[0], row[1])


async def latest(session: AsyncSession, limit: int) -> list[HandoffTicket]:
    """The latest tickets, undelivered first."""
    return list(
        await session.scalars(
            select(HandoffTicket)
            .order_by(HandoffTicket.delivered_at.is_not(None), HandoffTicket.created_at.desc())
            .limit(limit)
        )
    )


async def delete_delivered(session: AsyncSession, before: datetime) -> int:
    """Delete tickets delivered before ``before``; an undelivered ticket is never deleted."""
    result = await session.execute(
        delete(HandoffTicket).where(HandoffTicket.delivered_at < before).returning(HandoffTicket.id)
    )
    return len(result.all())
