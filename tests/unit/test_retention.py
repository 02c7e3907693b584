"""Retention: idle conversations (with their turns and ratings), long-delivered tickets, old
failed searches and old unanswered questions go; an undelivered ticket stays whatever its age."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog.db import transaction
from hsc_jit.catalog.models import UnansweredQuestion, utcnow
from hsc_jit.config import Settings
from hsc_jit.services.conversations import ConversationService
from hsc_jit.services.retention import prune
from hsc_jit.support import searches
from hsc_jit.support.models import Conversation, FailedSearch, HandoffTicket, Turn
from hsc_jit.support.searches import Tally
from tests.utils.db import migrated

DAYS = 30


async def check_retention(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Seed old and recent rows of every kind, prune, and check what is left."""
    now = utcnow()
    old, recent = now - timedelta(days=DAYS + 1), now - timedelta(days=DAYS - 1)
    conversations = ConversationService(sessionmaker, max_turns=50, prompt_tokens=600)
    kept: dict[str, str] = {}
    for name in ("idle", "active"):
        turn = await conversations.open(None, "roland-td27kv", f"{name} question?")
        kept[name] = await conversations.record(turn, "An answer.", [], True, "extractive")
        await conversations.rate(turn.answer_id, "down", None)
    async with transaction(sessionmaker) as session:
        await session.execute(
            update(Conversation).where(Conversation.id == kept["idle"]).values(updated_at=old)
        )
        for ticket_id, delivered_at in [("old-delivered", old), ("new-delivered", recent)]:
            session.add(_ticket(ticket_id, old, delivered_at))
        session.add(_ticket("old-undelivered", old - timedelta(days=365), None))
        await searches.add(session, {"old text": Tally(3, old), "new text": Tally(1, recent)})
        for question, asked_at in [("old question?", old), ("new question?", recent)]:
            session.add(
                UnansweredQuestion(
                    product_id="p", question=question, scenario="general", created_at=asked_at
                )
            )

    await prune(sessionmaker, DAYS, now)

    async with sessionmaker() as session:
        conversation_ids = set(await session.scalars(select(Conversation.id)))
        turns = await session.scalar(select(func.count(Turn.id)))
        ticket_ids = set(await session.scalars(select(HandoffTicket.id)))
        texts = set(await session.scalars(select(FailedSearch.text)))
        questions = set(await session.scalars(select(UnansweredQuestion.question)))
    assert conversation_ids == {kept["active"]}
    assert turns == 1  # the idle conversation's turn and its rating went with it
    assert ticket_ids == {"new-delivered", "old-undelivered"}
    assert texts == {"new text"}
    assert questions == {"new question?"}


def _ticket(ticket_id: str, created_at: datetime, delivered_at: datetime | None) -> HandoffTicket:
    return HandoffTicket(
        id=ticket_id,
        conversation_id="c",
        created_at=created_at,
        body="{}",
        attempts=1,
        next_attempt_at=created_at,
        delivered_at=delivered_at,
    )


async def test_retention_on_sqlite(settings: Settings) -> None:
    async with migrated(settings) as (_engine, sessionmaker):
        await check_retention(sessionmaker)
