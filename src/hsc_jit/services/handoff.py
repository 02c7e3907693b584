"""Handoff to a person: a ticket with the conversation's transcript, stored before it is
acknowledged, then delivered by ``services/delivery.py``."""

from __future__ import annotations

from collections.abc import Callable

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog.db import transaction
from hsc_jit.catalog.models import utcnow
from hsc_jit.observability.metrics import HANDOFF_TICKETS_CREATED
from hsc_jit.services.conversations import new_id
from hsc_jit.services.snapshot import CatalogHolder
from hsc_jit.support import conversations
from hsc_jit.support.models import HandoffTicket
from hsc_jit.support.webhook import Contact, TicketProduct, ticket_body

log = structlog.get_logger(__name__)


class HandoffService:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        holder: CatalogHolder,
        max_turns: int,
        ticket_created: Callable[[], None],
    ) -> None:
        self._sessionmaker = sessionmaker
        self._holder = holder
        self._max_turns = max_turns
        self._ticket_created = ticket_created

    async def create(self, conversation_id: str, message: str, contact: Contact) -> str:
        """Store a ticket for ``conversation_id`` (known or not: a customer with no answered
        question may still ask for a person) and return its id once committed."""
        ticket_id = new_id()
        now = utcnow()
        async with transaction(self._sessionmaker) as session:
            conversation = await conversations.get_conversation(session, conversation_id)
            turns = []
            product = None
            if conversation is not None:
                turns = await conversations.turns(session, conversation_id, self._max_turns)
                product = self._product(conversation.product_id)
            body = ticket_body(ticket_id, now, conversation_id, product, contact, message, turns)
            session.add(
                HandoffTicket(
                    id=ticket_id,
                    conversation_id=conversation_id,
                    created_at=now,
                    body=body.decode(),
                    attempts=0,
                    next_attempt_at=now,
                )
            )
        HANDOFF_TICKETS_CREATED.inc()
        # The contact details stay out of the logs.
        log.info("handoff.ticket_created", ticket_id=ticket_id, turns=len(turns))
        self._ticket_created()
        return ticket_id

    def _product(self, product_id: str) -> TicketProduct:
        snapshot = self._holder.current
        product = snapshot.get(product_id) if snapshot else None
        if product is None:  # gone from the catalog since: the id is all there is
            return TicketProduct(product_id, product_id, "")
        return TicketProduct(product_id, product.name, str(product.brand.get("name", "")))
