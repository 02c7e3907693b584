"""Conversations on the embedded SQLite: follow-ups read with the earlier turns, the product
locked, the turns bounded, ratings kept, and a broken database never failing an answer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.answer.followup import standalone
from hsc_jit.answer.prompt import estimate_tokens
from hsc_jit.catalog.db import create_engine, create_sessionmaker
from hsc_jit.config import Settings
from hsc_jit.errors import AnswerNotFound
from hsc_jit.services.conversations import ConversationService, OpenTurn
from hsc_jit.support.models import Turn
from tests.utils.db import migrated

ANSWER = "Connect the kick pad to the KICK jack. [MANUAL: page 12] [PRO TIP: Tighten it.]"


@pytest.fixture
async def sessionmaker(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with migrated(settings) as (_engine, made):
        yield made


def service(
    sessionmaker: async_sessionmaker[AsyncSession], max_turns: int = 50, prompt_tokens: int = 600
) -> ConversationService:
    return ConversationService(sessionmaker, max_turns, prompt_tokens)


async def ask(
    conversations: ConversationService,
    text: str,
    conversation_id: str | None = None,
    product_id: str = "roland-td27kv",
) -> tuple[OpenTurn, str]:
    turn = await conversations.open(conversation_id, product_id, text)
    stored_in = await conversations.record(turn, ANSWER, [], True, "extractive")
    return turn, stored_in


async def stored(sessionmaker: async_sessionmaker[AsyncSession], answer_id: str) -> Turn:
    async with sessionmaker() as session:
        turn = await session.scalar(select(Turn).where(Turn.answer_id == answer_id))
    assert turn is not None
    return turn


async def test_a_follow_up_is_read_with_the_earlier_turn(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    conversations = service(sessionmaker)
    first, conversation_id = await ask(conversations, "How do I connect the kick pad?")
    assert first.conversation_id == conversation_id and first.answer_id != conversation_id

    follow_up, again = await ask(conversations, "and the hi-hat?", conversation_id)

    assert again == conversation_id
    assert follow_up.question == standalone("and the hi-hat?", ["How do I connect the kick pad?"])
    assert "hi-hat" in follow_up.question and "connect" in follow_up.question.lower()
    row = await stored(sessionmaker, follow_up.answer_id)
    assert (row.text, row.question) == ("and the hi-hat?", follow_up.question)
    # A model gets the earlier turn as typed, its answer without markers.
    assert [(p.question, p.answer) for p in follow_up.history] == [
        ("How do I connect the kick pad?", "Connect the kick pad to the KICK jack.")
    ]


async def test_a_client_made_id_starts_a_conversation_under_that_id(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    turn, stored_in = await ask(service(sessionmaker), "hello?", "client-made.id_1")
    assert turn.conversation_id == stored_in == "client-made.id_1"
    assert turn.history == () and turn.question == "hello?"


async def test_another_product_starts_a_new_conversation(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    conversations = service(sessionmaker)
    _, conversation_id = await ask(conversations, "How do I connect the kick pad?")
    turn, stored_in = await ask(
        conversations, "and the hi-hat?", conversation_id, product_id="nord-stage-4"
    )
    assert stored_in == turn.conversation_id != conversation_id
    assert turn.question == "and the hi-hat?" and turn.history == ()


async def test_a_full_conversation_continues_in_a_new_one(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    conversations = service(sessionmaker, max_turns=2)
    _, first = await ask(conversations, "one?")
    _, second = await ask(conversations, "two?", first)
    _, third = await ask(conversations, "three?", second)
    assert first == second != third
    async with sessionmaker() as session:
        counts = [
            len((await session.scalars(select(Turn).where(Turn.conversation_id == c))).all())
            for c in (first, third)
        ]
    assert counts == [2, 1]  # the full one kept whole


async def test_the_history_keeps_the_latest_turns_within_its_token_share(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    conversations = service(sessionmaker, prompt_tokens=60)
    conversation_id = None
    for n in range(5):
        _, conversation_id = await ask(conversations, f"question number {n}?", conversation_id)
    turn = await conversations.open(conversation_id, "roland-td27kv", "and then?")
    asked = [prior.question for prior in turn.history]
    assert asked and asked == [f"question number {n}?" for n in range(5 - len(asked), 5)]
    cost = sum(estimate_tokens(p.question) + estimate_tokens(p.answer) for p in turn.history)
    assert cost <= 60 and len(asked) < 5


async def test_an_error_is_stored_but_not_shown_to_a_model(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    conversations = service(sessionmaker)
    failed = await conversations.open(None, "roland-td27kv", "How do I connect the kick pad?")
    conversation_id = await conversations.record(failed, "No manual.", [], False, None)
    turn = await conversations.open(conversation_id, "roland-td27kv", "and the hi-hat?")
    assert "hi-hat" in turn.question and "kick" not in turn.question  # the topic is replaced
    assert turn.history == ()
    assert (await stored(sessionmaker, failed.answer_id)).provider is None


async def test_a_rating_is_kept_and_a_second_one_replaces_it(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    conversations = service(sessionmaker)
    turn, _ = await ask(conversations, "How do I connect the kick pad?")
    await conversations.rate(turn.answer_id, "down", "Wrong jack.")
    await conversations.rate(turn.answer_id, "up", None)
    row = await stored(sessionmaker, turn.answer_id)
    assert (row.rating, row.comment) == ("up", None) and row.rated_at is not None
    with pytest.raises(AnswerNotFound) as refused:
        await conversations.rate("never-given", "up", None)
    assert refused.value.code == "not_found" and refused.value.status_code == 404


async def test_a_broken_database_costs_the_context_not_the_answer(settings: Settings) -> None:
    engine = create_engine(settings)  # never migrated: there are no tables
    try:
        conversations = service(create_sessionmaker(engine))
        turn = await conversations.open("kept-id", "roland-td27kv", "and the hi-hat?")
        assert turn.conversation_id == "kept-id" and turn.history == ()
        assert await conversations.record(turn, "An answer.", [], True, "extractive") == "kept-id"
    finally:
        await engine.dispose()
