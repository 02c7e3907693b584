"""Conversations and handoff tickets on the real PostgreSQL: two delivery workers with engines of
their own deliver every ticket exactly once; turns, ratings, failed-search counts and expiry
work there too."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog.db import create_engine, create_sessionmaker, transaction
from hsc_jit.catalog.models import utcnow
from hsc_jit.config import Settings
from hsc_jit.db_utils import database_error_code
from hsc_jit.services.conversations import ConversationService
from hsc_jit.services.delivery import DeliveryWorker
from hsc_jit.services.handoff import HandoffService
from hsc_jit.services.snapshot import CatalogHolder
from hsc_jit.support import searches, tickets
from hsc_jit.support.models import HandoffTicket
from hsc_jit.support.searches import Tally
from hsc_jit.support.webhook import Contact
from tests.unit.test_retention import check_retention
from tests.utils.db import migrated
from tests.utils.webhook_receiver import SECRET, WebhookReceiver, receiving

pytestmark = pytest.mark.integration
TICKETS = 60


@asynccontextmanager
async def delivering(settings: Settings, url: str) -> AsyncIterator[DeliveryWorker]:
    """A delivery worker with an engine, a pool and an HTTP client of its own, running."""
    engine = create_engine(settings)
    client = httpx.AsyncClient()
    worker = DeliveryWorker(
        create_sessionmaker(engine),
        client,
        url,
        SECRET.encode(),
        timeout_s=5,
        retry_base_s=0.05,
        retry_cap_s=0.2,
        poll_s=0.1,
    )
    task = asyncio.create_task(worker.run())
    try:
        yield worker
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await client.aclose()
        await engine.dispose()


async def all_delivered(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Wait until every ticket is marked delivered (the receiver sees them a moment before)."""
    for _ in range(200):
        async with sessionmaker() as session:
            left = await session.scalar(
                select(func.count(HandoffTicket.id)).where(HandoffTicket.delivered_at.is_(None))
            )
        if not left:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{left} tickets never marked delivered")


async def test_two_workers_deliver_each_ticket_exactly_once(pg_settings: Settings) -> None:
    async with migrated(pg_settings) as (_engine, sessionmaker):
        handoff = HandoffService(sessionmaker, CatalogHolder(sessionmaker), 50, lambda: None)
        ticket_ids = {
            await handoff.create(f"conversation-{n}", f"help {n}", Contact(email="a@b.example"))
            for n in range(TICKETS)
        }
        with receiving() as receiver:
            # The first tickets meet a receiver failing: retried, still delivered once.
            receiver.refusals += [503, 503, 500, 429]
            async with (
                delivering(pg_settings, receiver.url) as first,
                delivering(pg_settings, receiver.url) as second,
            ):
                first.wake()
                second.wake()
                arrivals = await asyncio.to_thread(receiver.wait_for, ticket_ids)
                await all_delivered(sessionmaker)
                await asyncio.sleep(0.5)  # time for a second delivery, were there one
            assert receiver.arrivals() == arrivals
        assert set(arrivals) == ticket_ids
        assert set(arrivals.values()) == {1}
        assert receiver.forged == 0


async def test_a_stopped_worker_gives_its_claims_back(pg_settings: Settings) -> None:
    async with migrated(pg_settings) as (_engine, sessionmaker):
        handoff = HandoffService(sessionmaker, CatalogHolder(sessionmaker), 50, lambda: None)
        ticket_id = await handoff.create("c", "help", Contact())
        # A receiver that never answers: the worker is stopped in the middle of its POST.
        receiver = WebhookReceiver()
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", receiver.port))
            silent.listen()
            async with delivering(pg_settings, receiver.url) as worker:
                worker.wake()
                await asyncio.sleep(0.5)
        async with sessionmaker() as session:
            ticket = await session.get(HandoffTicket, ticket_id)
        assert ticket is not None and ticket.delivered_at is None
        assert ticket.claimed_until is None and ticket.claim_token is None  # due again at once


async def test_a_ticket_another_worker_holds_is_left_alone(pg_settings: Settings) -> None:
    async with migrated(pg_settings) as (_engine, sessionmaker):
        handoff = HandoffService(sessionmaker, CatalogHolder(sessionmaker), 50, lambda: None)
        await handoff.create("c", "help", Contact())
        now = utcnow()
        async with transaction(sessionmaker) as session:
            held = await tickets.claim_due(session, now, now + timedelta(minutes=1), "other", 10)
        assert len(held) == 1
        with receiving() as receiver:
            async with httpx.AsyncClient() as client:
                worker = DeliveryWorker(
                    sessionmaker,
                    client,
                    receiver.url,
                    SECRET.encode(),
                    timeout_s=5,
                    retry_base_s=0.05,
                    retry_cap_s=0.2,
                    poll_s=3,
                )
                # Neither delivered twice nor chased in a busy loop: looked at again next poll.
                assert await worker.deliver_due() == 3
        assert receiver.arrivals() == {}


async def test_conversations_and_ratings_on_postgres(pg_settings: Settings) -> None:
    async with migrated(pg_settings) as (_engine, sessionmaker):
        conversations = ConversationService(sessionmaker, max_turns=50, prompt_tokens=600)
        first = await conversations.open(None, "roland-td27kv", "How do I connect the kick pad?")
        conversation_id = await conversations.record(first, "KICK jack.", [], True, "extractive")
        # Two questions start the same client-made conversation at once: one conversation.
        racing = [
            await conversations.open("made-by-client", "roland-td27kv", f"q{n}?") for n in (1, 2)
        ]
        stored_in = await asyncio.gather(
            *(conversations.record(t, "A.", [], True, "extractive") for t in racing)
        )
        assert stored_in == ["made-by-client", "made-by-client"]
        follow_up = await conversations.open(conversation_id, "roland-td27kv", "and the hi-hat?")
        assert "hi-hat" in follow_up.question and follow_up.history
        await conversations.rate(first.answer_id, "down", "no")
        await conversations.rate(first.answer_id, "up", None)


async def test_retention_on_postgres(pg_settings: Settings) -> None:
    async with migrated(pg_settings) as (_engine, sessionmaker):
        await check_retention(sessionmaker)


async def test_failed_search_counts_add_up_on_postgres(pg_settings: Settings) -> None:
    async with migrated(pg_settings) as (_engine, sessionmaker):
        now = utcnow()
        for batch in ({"zildjan k": 2, "remo x": 1}, {"zildjan k": 3}):
            async with transaction(sessionmaker) as session:
                await searches.add(session, {t: Tally(n, now) for t, n in batch.items()})
        async with sessionmaker() as session:
            found = await searches.most_frequent(session, 10)
        assert [(row.text, row.count) for row in found] == [("zildjan k", 5), ("remo x", 1)]


async def test_a_database_error_is_named_by_its_sqlstate(pg_settings: Settings) -> None:
    engine = create_engine(pg_settings)
    try:
        with pytest.raises(ProgrammingError) as caught:
            async with engine.begin() as connection:
                await connection.execute(text("SELECT * FROM no_such_table"))
    finally:
        await engine.dispose()
    assert database_error_code(caught.value) == "42P01"  # undefined_table
