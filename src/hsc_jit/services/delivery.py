"""The handoff delivery worker: POSTs each ticket to ``HSC_HANDOFF_WEBHOOK_URL`` until a 2xx.

Every instance runs one. A round claims the due tickets (a lease in the database, see
``support/tickets.py``), POSTs them concurrently outside any transaction, and records each
outcome; a failure is tried again after exponential backoff with full jitter, up to
``HSC_HANDOFF_RETRY_CAP_S``, for as long as it takes, across restarts. A new ticket wakes the
worker of its instance at once; otherwise it looks every ``HSC_HANDOFF_POLL_S`` or when the next
retry is due. A ticket can arrive twice (a receiver that answered after our timeout, an instance
that died between the POST and its record), never not at all: receivers dedupe on ``ticket_id``.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.catalog.db import transaction
from hsc_jit.catalog.models import utcnow
from hsc_jit.db_utils import as_utc, database_error_code
from hsc_jit.observability.metrics import (
    HANDOFF_DELIVERY_FAILURES,
    HANDOFF_OLDEST_UNDELIVERED,
    HANDOFF_TICKETS_DELIVERED,
)
from hsc_jit.services.conversations import new_id
from hsc_jit.support import tickets, webhook
from hsc_jit.support.models import HandoffTicket
from hsc_jit.support.retry import retry_delay

log = structlog.get_logger(__name__)
_BATCH = 20
# A claim outlives its POST by this much, for the database writes around it.
_LEASE_MARGIN_S = 30.0
_MIN_WAIT_S = 0.05


class DeliveryWorker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        client: httpx.AsyncClient,
        url: str,
        secret: bytes,
        *,
        timeout_s: float,
        retry_base_s: float,
        retry_cap_s: float,
        poll_s: float,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._client = client
        self._url = url
        self._secret = secret
        self._timeout_s = timeout_s
        self._retry_base_s = retry_base_s
        self._retry_cap_s = retry_cap_s
        self._poll_s = poll_s
        self._token = new_id()  # this worker's claims
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look for due tickets now (a ticket was just made)."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver until cancelled; then give back the tickets still claimed."""
        try:
            while True:
                self._wake.clear()
                wait = await self.deliver_due()
                if wait > 0:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(wait):
                            await self._wake.wait()
        finally:
            await self._release()

    async def deliver_due(self) -> float:
        """One round: deliver what is due now; the seconds until the next round."""
        try:
            now = utcnow()
            lease = timedelta(seconds=self._timeout_s + _LEASE_MARGIN_S)
            async with transaction(self._sessionmaker) as session:
                claimed = await tickets.claim_due(session, now, now + lease, self._token, _BATCH)
            if claimed:
                outcomes = await asyncio.gather(
                    *(self._deliver(ticket) for ticket in claimed), return_exceptions=True
                )
                for outcome in outcomes:
                    if isinstance(outcome, Exception):  # its lease runs out: delivered again
                        log.warning("handoff.outcome_not_recorded", error=type(outcome).__name__)
                return 0.0  # more may be due
            async with self._sessionmaker() as session:
                backlog = await tickets.backlog(session, now)
        except Exception as exc:  # the database is away: the tickets wait there for it
            log.warning(
                "handoff.round_failed", error=type(exc).__name__, code=database_error_code(exc)
            )
            return self._poll_s
        now = utcnow()
        oldest = backlog.oldest_created
        HANDOFF_OLDEST_UNDELIVERED.set((now - as_utc(oldest)).total_seconds() if oldest else 0)
        if backlog.next_due is None:
            return self._poll_s
        until_due = (as_utc(backlog.next_due) - now).total_seconds()
        # At least a moment: a due ticket another worker is just claiming is not ours to chase.
        return min(self._poll_s, max(_MIN_WAIT_S, until_due))

    async def _deliver(self, ticket: HandoffTicket) -> None:
        attempt = await webhook.post(
            self._client, self._url, ticket.body.encode(), self._secret, self._timeout_s
        )
        attempts = ticket.attempts + 1
        now = utcnow()
        async with transaction(self._sessionmaker) as session:
            if attempt.delivered:
                await tickets.mark_delivered(session, ticket.id, self._token, now)
            else:
                delay = retry_delay(attempts, self._retry_base_s, self._retry_cap_s)
                retry_at = now + timedelta(seconds=delay)
                error = attempt.error or "failed"
                await tickets.mark_failed(session, ticket.id, self._token, retry_at, error)
        if attempt.delivered:
            HANDOFF_TICKETS_DELIVERED.inc()
            log.info("handoff.delivered", ticket_id=ticket.id, attempts=attempts)
            return
        HANDOFF_DELIVERY_FAILURES.labels(reason=attempt.reason or "connection").inc()
        # Retried all the same: a receiver that says no today (a wrong secret, a moved route)
        # is fixed on its side, and the ticket must still reach it then.
        event = "handoff.receiver_rejected" if attempt.reason == "rejected" else "handoff.retry"
        log.warning(event, ticket_id=ticket.id, attempts=attempts, error=attempt.error)

    async def _release(self) -> None:
        try:
            async with transaction(self._sessionmaker) as session:
                await tickets.release(session, self._token)
        except Exception as exc:  # the leases run out by themselves
            log.warning(
                "handoff.release_failed", error=type(exc).__name__, code=database_error_code(exc)
            )
