"""ORM models of the support desk: conversations and their turns (each answer with the
customer's rating), handoff tickets waiting for delivery, and typed searches that found nothing.

They share the catalog's ``Base`` so that one metadata, and one migration history, covers the
whole database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hsc_jit.catalog.models import Base, utcnow

ID_LENGTH = 64
SEARCH_TEXT_LENGTH = 200


class Conversation(Base):
    """A customer's questions about one product; the product never changes."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Retention counts from the last turn, so a conversation still in use is never expired.
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class Turn(Base):
    """One question and its answer (or the error that ended it), and the customer's rating."""

    __tablename__ = "conversation_turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[str] = mapped_column(String(ID_LENGTH), unique=True)
    product_id: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)  # as the customer typed it
    question: Mapped[str] = mapped_column(Text)  # the standalone question that was answered
    answer: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    found: Mapped[bool] = mapped_column(Boolean)
    provider: Mapped[str | None] = mapped_column(String(64))  # None: the question ended in an error
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    rating: Mapped[str | None] = mapped_column(String(8))
    comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class HandoffTicket(Base):
    """A request for a person: an outbox row, deleted only once delivered and expired.

    ``body`` is the exact webhook body, fixed when the ticket is made, so every retry sends the
    same bytes with the same signature. A worker claims a due ticket by setting ``claimed_until``
    and its own ``claim_token``, and makes the HTTP call outside any transaction.
    """

    __tablename__ = "handoff_tickets"
    __table_args__ = (Index("ix_handoff_tickets_due", "delivered_at", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    body: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claim_token: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class FailedSearch(Base):
    """A typed text (normalised) for which no product was predicted with confidence."""

    __tablename__ = "failed_searches"

    text: Mapped[str] = mapped_column(String(SEARCH_TEXT_LENGTH), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, index=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
