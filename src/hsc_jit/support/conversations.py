"""Conversation queries: turns in order, a turn stored with its conversation, ratings, expiry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hsc_jit.db_utils import upsert
from hsc_jit.support.models import Conversation, Turn


async def get_conversation(session: AsyncSession, conversation_id: str) -> Conversation | None:
    return await session.get(Conversation, conversation_id)


async def turns(session: AsyncSession, conversation_id: str, limit: int) -> list[Turn]:
    """The conversation's latest ``limit`` turns, oldest first."""
    latest = await session.scalars(
        select(Turn)
        .where(Turn.conversation_id == conversation_id)
        .order_by(Turn.id.desc())
        .limit(limit)
    )
    return list(reversed(latest.all()))


async def touch(session: AsyncSession, conversation_id: str, product_id: str, now: datetime) -> str:
    """Make the conversation if it is missing and mark it used now; the product it is about.

    A conversation that two questions start at once is made once (``ON CONFLICT DO NOTHING``).
    """
    await session.execute(
        upsert(session, Conversation)
        .values(id=conversation_id, product_id=product_id, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=[Conversation.id])
    )
    product = await session.scalar(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(updated_at=now)
        .returning(Conversation.product_id)
    )
    return str(product)


async def rate(
    session: AsyncSession, answer_id: str, rating: str, comment: str | None, now: datetime
) -> bool:
    """Rate an answer (replacing an earlier rating); False when there is no such answer."""
    rated = await session.execute(
        update(Turn)
        .where(Turn.answer_id == answer_id)
        .values(rating=rating, comment=comment, rated_at=now)
        .returning(Turn.id)
    )
    return rated.first() is not None


async def rated(session: AsyncSession, limit: int, rating: str | None) -> list[Turn]:
    """Rated answers: only ``rating`` ones if given, else down-votes first; latest first."""
    stmt = select(Turn).where(Turn.rating.is_not(None))
    order: list[Any] = [Turn.rated_at.desc(), Turn.id.desc()]
    if rating is not None:
        stmt = stmt.where(Turn.rating == rating)
    else:
        order.insert(0, (Turn.rating == "down").desc())
    return list(await session.scalars(stmt.order_by(*order).limit(limit)))


async def delete_idle(session: AsyncSession, before: datetime) -> int:
    """Delete conversations untouched since ``before``; their turns go with them (cascade)."""
    result = await session.execute(
        delete(Conversation).where(Conversation.updated_at < before).returning(Conversation.id)
    )
    return len(result.all())
