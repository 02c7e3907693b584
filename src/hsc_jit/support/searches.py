"""Failed-search queries: counts added in batches, the most frequent listed, old ones expired."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from hsc_jit.db_utils import upsert
from hsc_jit.support.models import FailedSearch


@dataclass(slots=True)
class Tally:
    """How often a text was searched in one batch, and when last."""

    count: int
    last_seen: datetime


async def add(session: AsyncSession, tallies: Mapping[str, Tally]) -> None:
    """Add a batch of counts (instances add to each other's counts): one statement for the
    batch, executed for every text, since building one per text cost ~0.7 ms of the event
    loop's time each."""
    if not tallies:
        return
    insert = upsert(session, FailedSearch)
    statement = insert.on_conflict_do_update(
        index_elements=[FailedSearch.text],
        set_={
            "count": FailedSearch.count + insert.excluded.count,
            "last_seen": insert.excluded.last_seen,
        },
    )
    await session.execute(
        statement,
        [
            {"text": text, "count": t.count, "first_seen": t.last_seen, "last_seen": t.last_seen}
            for text, t in tallies.items()
        ],
    )


async def most_frequent(session: AsyncSession, limit: int) -> list[FailedSearch]:
    return list(
        await session.scalars(
            select(FailedSearch)
            .order_by(FailedSearch.count.desc(), FailedSearch.last_seen.desc())
            .limit(limit)
        )
    )


async def delete_unseen(session: AsyncSession, before: datetime) -> int:
    """Delete texts not searched since ``before``."""
    result = await session.execute(
        delete(FailedSearch).where(FailedSearch.last_seen < before).returning(FailedSearch.text)
    )
    return len(result.all())
