"""The admin's review lists: handoff tickets, rated answers, unanswered questions grouped by
product and wording, and searches that found no product; each as the API's rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import orjson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog import repository
from hsc_jit.catalog.models import UnansweredQuestion
from hsc_jit.db_utils import as_utc
from hsc_jit.documents.service import DocumentService
from hsc_jit.predict.normalize import normalize
from hsc_jit.services.snapshot import CatalogHolder
from hsc_jit.support import conversations, searches, tickets
from hsc_jit.support.grouping import group_alike

Row = dict[str, Any]


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else as_utc(moment).isoformat()


class ReviewService:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        holder: CatalogHolder,
        documents: DocumentService,
        similarity: float,
        webhook_configured: bool,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._holder = holder
        self._documents = documents
        self._similarity = similarity
        self._webhook_configured = webhook_configured

    async def tickets(self, limit: int) -> list[Row]:
        """The latest tickets, undelivered first, with how their delivery goes."""
        async with self._sessionmaker() as session:
            rows = await tickets.latest(session, limit)
        listed = []
        for row in rows:
            body = orjson.loads(row.body)
            delivered = row.delivered_at is not None
            state = "delivered" if delivered else "pending"
            if not delivered and not self._webhook_configured:
                state = "not_configured"
            listed.append(
                {
                    "ticket_id": row.id,
                    "created_at": _iso(row.created_at),
                    "conversation_id": row.conversation_id,
                    "product": body["product"],
                    "contact": body["contact"],
                    "message": body["message"],
                    "state": state,
                    "attempts": row.attempts,
                    "delivered_at": _iso(row.delivered_at),
                    "last_error": row.last_error,
                    "next_attempt_at": None if delivered else _iso(row.next_attempt_at),
                }
            )
        return listed

    async def feedback(self, limit: int, rating: str | None) -> list[Row]:
        """Rated answers, down-votes first unless one ``rating`` is asked for."""
        async with self._sessionmaker() as session:
            rows = await conversations.rated(session, limit, rating)
        return [
            {
                "answer_id": row.answer_id,
                "rating": row.rating,
                "comment": row.comment,
                "created_at": _iso(row.rated_at),
                "conversation_id": row.conversation_id,
                "product_id": row.product_id,
                "question": row.text,
                "answer": row.answer,
            }
            for row in rows
        ]

    async def searches(self, limit: int) -> list[Row]:
        """Typed texts that found no confident product, most frequent first."""
        async with self._sessionmaker() as session:
            rows = await searches.most_frequent(session, limit)
        return [
            {"text": row.text, "count": row.count, "last_seen": _iso(row.last_seen)} for row in rows
        ]

    async def unanswered(self, limit: int, *, grouped: bool = True) -> Row:
        """The latest questions the manuals did not cover, and the same grouped (``groups``
        empty when not ``grouped``: grouping embeds every question)."""
        async with self._sessionmaker() as session:
            rows = await repository.list_unanswered(session, limit)
        return {
            "questions": [
                {
                    "product_id": row.product_id,
                    "question": row.question,
                    "scenario": row.scenario,
                    "created_at": _iso(row.created_at),
                }
                for row in rows
            ],
            "groups": await self._groups(rows) if grouped else [],
        }

    async def _groups(self, rows: Sequence[UnansweredQuestion]) -> list[Row]:
        """Per product, questions worded alike (by sentence vectors; by their words when the
        model cannot run), largest group first, then the latest asked."""
        by_product: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            by_product[row.product_id].append(i)
        vectors = await self._documents.embed_texts([row.question for row in rows])
        groups = []
        for product_id, indices in by_product.items():
            if vectors is None:
                alike: dict[str, list[int]] = defaultdict(list)
                for i in indices:
                    alike[normalize(rows[i].question)].append(i)
                members = list(alike.values())
            else:
                found = group_alike(vectors[indices].astype(np.float32), self._similarity)
                members = [[indices[j] for j in group] for group in found]
            groups += [self._group(product_id, [rows[i] for i in member]) for member in members]
        groups.sort(key=lambda group: group["last_asked"], reverse=True)
        return sorted(groups, key=lambda group: -group["count"])

    def _group(self, product_id: str, asked: list[UnansweredQuestion]) -> Row:
        snapshot = self._holder.current
        product = snapshot.get(product_id) if snapshot else None
        questions = list(dict.fromkeys(row.question for row in asked))
        return {
            "product_id": product_id,
            "product_name": product.name if product else None,
            "count": len(asked),
            "example": questions[0],
            "questions": questions,
            "last_asked": max(_iso(row.created_at) or "" for row in asked),
        }
