"""The handoff webhook: a ticket's JSON body, its signature, and one delivery attempt.

The receiver checks ``X-HSC-Signature: sha256=<hex>``, the HMAC-SHA256 of the exact body bytes
keyed with the shared secret. Any 2xx means delivered; anything else is tried again later.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import httpx
import orjson

from hsc_jit.support.models import Turn

SIGNATURE_HEADER = "X-HSC-Signature"
# Client errors that mean "later" rather than "no".
_TRANSIENT_4XX = frozenset({408, 429})


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class TicketProduct:
    id: str
    name: str
    brand: str  # the brand's name


FailureReason = Literal["timeout", "connection", "server_error", "rejected"]


@dataclass(frozen=True, slots=True)
class Attempt:
    """How one POST went: delivered, or why not."""

    delivered: bool
    reason: FailureReason | None = None
    error: str | None = None  # for the admin list: "HTTP 503", "ConnectError", "timeout"


def ticket_body(
    ticket_id: str,
    created_at: datetime,
    conversation_id: str,
    product: TicketProduct | None,
    contact: Contact,
    message: str,
    turns: Sequence[Turn],
) -> bytes:
    """The webhook body (PROTOCOL.md, ``HandoffPayload``): the transcript as it stands now."""
    transcript: list[dict[str, Any]] = []
    for turn in turns:
        transcript.append({"role": "customer", "text": turn.text, "sources": [], "found": None})
        transcript.append(
            {"role": "assistant", "text": turn.answer, "sources": turn.sources, "found": turn.found}
        )
    return orjson.dumps(
        {
            "ticket_id": ticket_id,
            "created_at": created_at.isoformat(),
            "conversation_id": conversation_id,
            "product": None
            if product is None
            else {"id": product.id, "name": product.name, "brand": product.brand},
            "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone},
            "message": message,
            "transcript": transcript,
        }
    )


def signature(body: bytes, secret: bytes) -> str:
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


async def post(
    client: httpx.AsyncClient, url: str, body: bytes, secret: bytes, within_s: float
) -> Attempt:
    """POST ``body`` once, signed, taking at most ``within_s``; never raises for what the
    network or the receiver does."""
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature(body, secret)}
    try:
        async with asyncio.timeout(within_s):
            response = await client.post(url, content=body, headers=headers)
    except (TimeoutError, httpx.TimeoutException):
        return Attempt(False, "timeout", "timeout")
    except httpx.HTTPError as exc:
        return Attempt(False, "connection", type(exc).__name__)
    status = response.status_code
    if 200 <= status < 300:
        return Attempt(True)
    # A 4xx other than these says "no" rather than "later" (a wrong secret, a changed route).
    rejected = 400 <= status < 500 and status not in _TRANSIENT_4XX
    return Attempt(False, "rejected" if rejected else "server_error", f"HTTP {status}")
