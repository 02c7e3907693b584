"""Conversations: which one a question belongs to, what it means after the earlier turns, each
answer stored as a turn, and the customer's rating of an answer.

A conversation is about one product. A question that names a conversation about another
product, or one that already has ``HSC_CONVERSATION_MAX_TURNS`` turns, starts a new
conversation (its id comes back in ``final_answer``), so every conversation stays bounded and
its earlier turns stay intact for feedback and handoff. Reading and storing turns never fails an
answer: a database that is down costs the follow-up context, not the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.answer.base import PriorTurn
from hsc_jit.answer.followup import standalone
from hsc_jit.answer.markers import without_markers
from hsc_jit.answer.prompt import estimate_tokens
from hsc_jit.catalog.db import transaction
from hsc_jit.catalog.models import utcnow
from hsc_jit.errors import AnswerNotFound
from hsc_jit.observability.metrics import ANSWER_FEEDBACK
from hsc_jit.support import conversations
from hsc_jit.support.models import Turn

log = structlog.get_logger(__name__)
# "Customer: " and "Assistant: " and two line breaks, in tokens.
_TURN_OVERHEAD_TOKENS = 6


def new_id() -> str:
    """A server-made id for a conversation, an answer or a ticket."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class OpenTurn:
    """A question on its way to an answer: where it will be stored and what it means."""

    conversation_id: str
    answer_id: str
    product_id: str
    text: str  # as the customer typed it
    question: str  # standing alone: what is ranked, answered, cached
    history: tuple[PriorTurn, ...] = ()


class ConversationService:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        max_turns: int,
        prompt_tokens: int,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._max_turns = max_turns
        self._prompt_tokens = prompt_tokens

    async def open(self, conversation_id: str | None, product_id: str, text: str) -> OpenTurn:
        """The turn ``text`` starts: in ``conversation_id`` when that is about the same product
        and has room, else in a new conversation; read with its earlier turns."""
        earlier: list[Turn] = []
        if conversation_id is not None:
            try:
                async with self._sessionmaker() as session:
                    conversation = await conversations.get_conversation(session, conversation_id)
                    if conversation is not None:
                        earlier = await conversations.turns(
                            session, conversation_id, self._max_turns
                        )
            except Exception as exc:  # answered without the earlier turns rather than not at all
                log.warning("conversation.unreadable", error=type(exc).__name__)
                conversation = None
            if conversation is not None and (
                conversation.product_id != product_id or len(earlier) >= self._max_turns
            ):
                conversation_id, earlier = None, []
        return OpenTurn(
            conversation_id=conversation_id or new_id(),
            answer_id=new_id(),
            product_id=product_id,
            text=text,
            question=standalone(text, [turn.question for turn in earlier]),
            history=self._history(earlier),
        )

    async def record(
        self,
        turn: OpenTurn,
        answer: str,
        sources: Sequence[dict[str, Any]],
        found: bool,
        provider: str | None,
    ) -> str:
        """Store the answered (``provider``) or failed turn; the id of the conversation it went
        to. Never raises: an answer is not failed for its record."""
        now = utcnow()
        row = Turn(
            conversation_id=turn.conversation_id,
            answer_id=turn.answer_id,
            product_id=turn.product_id,
            text=turn.text,
            question=turn.question,
            answer=answer,
            sources=list(sources),
            found=found,
            provider=provider,
            created_at=now,
        )
        try:
            async with transaction(self._sessionmaker) as session:
                stored_for = await conversations.touch(
                    session, row.conversation_id, turn.product_id, now
                )
                if stored_for != turn.product_id:  # a question about another product took the id
                    row.conversation_id = new_id()
                    await conversations.touch(session, row.conversation_id, turn.product_id, now)
                session.add(row)
        except Exception as exc:
            log.warning("conversation.turn_not_stored", error=type(exc).__name__)
        return row.conversation_id

    async def rate(self, answer_id: str, rating: str, comment: str | None) -> None:
        """Keep the customer's rating of an answer (a second one replaces the first)."""
        async with transaction(self._sessionmaker) as session:
            found = await conversations.rate(session, answer_id, rating, comment, utcnow())
        if not found:
            raise AnswerNotFound(answer_id)
        ANSWER_FEEDBACK.labels(rating=rating).inc()
        log.info("feedback.recorded", answer_id=answer_id, rating=rating)

    def _history(self, earlier: Sequence[Turn]) -> tuple[PriorTurn, ...]:
        """The answered turns, latest first while they fit the prompt's share, oldest first."""
        budget = self._prompt_tokens
        kept: list[PriorTurn] = []
        for turn in reversed(earlier):
            if turn.provider is None:  # ended in an error: nothing a model can build on
                continue
            prior = PriorTurn(turn.text, without_markers(turn.answer))
            budget -= (
                estimate_tokens(prior.question)
                + estimate_tokens(prior.answer)
                + _TURN_OVERHEAD_TOKENS
            )
            if budget < 0:
                break
            kept.append(prior)
        return tuple(reversed(kept))
