"""The webhook's body, signature and one attempt, and the backoff between attempts."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

import httpx
import pytest

from hsc_jit.api.schemas import HandoffPayload
from hsc_jit.support.models import Turn
from hsc_jit.support.retry import retry_delay
from hsc_jit.support.webhook import Contact, TicketProduct, post, signature, ticket_body
from tests.utils.live import free_port
from tests.utils.webhook_receiver import SECRET, receiving

SOURCES = [{"page": 6, "url": "http://m.example/fp30x.pdf", "title": "FP-30X manual"}]


def _turn(text: str, answer: str, found: bool = True) -> Turn:
    return Turn(text=text, question=text, answer=answer, sources=SOURCES, found=found)


def test_the_body_is_the_contract_s_payload_with_the_transcript_in_order() -> None:
    body = ticket_body(
        "t1",
        datetime(2026, 12, 6, 5, 30, tzinfo=UTC),
        "c1",
        TicketProduct("roland-fp30x", "Roland FP-30X", "Roland"),
        Contact(name="Dana", email="dana@example.com"),
        "Still no sound.",
        [_turn("How do I connect headphones?", "Use the PHONES jack."), _turn("and two?", "")],
    )
    payload = HandoffPayload.model_validate_json(body)
    assert payload.model_dump_json().encode() == body  # the same shape, to the byte
    assert payload.created_at == "2026-12-06T05:30:00+00:00"
    assert payload.product is not None and payload.product.brand == "Roland"
    assert [(t.role, t.text) for t in payload.transcript] == [
        ("customer", "How do I connect headphones?"),
        ("assistant", "Use the PHONES jack."),
        ("customer", "and two?"),
        ("assistant", ""),
    ]
    assert payload.transcript[0].found is None and payload.transcript[0].sources == []
    assert payload.transcript[1].found is True and payload.transcript[1].sources[0].page == 6


def test_a_ticket_without_a_conversation_has_no_product_and_no_transcript() -> None:
    body = ticket_body("t2", datetime.now(UTC), "c-new", None, Contact(), "", [])
    payload = HandoffPayload.model_validate_json(body)
    assert payload.product is None and payload.transcript == []
    assert payload.contact.model_dump() == {"name": None, "email": None, "phone": None}


def test_the_signature_is_the_hmac_of_the_exact_bytes() -> None:
    body = b'{"ticket_id":"t1"}'
    expected = hmac.new(b"key", body, hashlib.sha256).hexdigest()
    assert signature(body, b"key") == f"sha256={expected}"
    assert signature(body + b" ", b"key") != signature(body, b"key")


@pytest.mark.parametrize(
    ("status", "reason", "error"),
    [
        (503, "server_error", "HTTP 503"),
        (429, "server_error", "HTTP 429"),
        (408, "server_error", "HTTP 408"),
        (400, "rejected", "HTTP 400"),
        (401, "rejected", "HTTP 401"),
    ],
)
async def test_an_attempt_says_why_it_failed(status: int, reason: str, error: str) -> None:
    with receiving() as receiver:
        receiver.refusals.append(status)
        async with httpx.AsyncClient() as client:
            attempt = await post(client, receiver.url, b"{}", SECRET.encode(), within_s=5)
    assert (attempt.delivered, attempt.reason, attempt.error) == (False, reason, error)


async def test_a_signed_body_is_delivered_and_a_wrong_key_is_refused() -> None:
    body = ticket_body("t3", datetime.now(UTC), "c", None, Contact(), "hello", [])
    with receiving() as receiver:
        async with httpx.AsyncClient() as client:
            good = await post(client, receiver.url, body, SECRET.encode(), within_s=5)
            forged = await post(client, receiver.url, body, b"not-the-secret", within_s=5)
    assert good.delivered and good.reason is None
    assert (forged.delivered, forged.reason) == (False, "rejected")
    assert receiver.arrivals() == {"t3": 1} and receiver.forged == 1


async def test_nobody_listening_is_a_connection_failure() -> None:
    async with httpx.AsyncClient() as client:
        attempt = await post(client, f"http://127.0.0.1:{free_port()}/", b"{}", b"k", within_s=5)
    assert (attempt.delivered, attempt.reason, attempt.error) == (
        False,
        "connection",
        "ConnectError",
    )


def test_backoff_is_exponential_with_full_jitter_up_to_the_cap() -> None:
    for attempts, ceiling in [(1, 2.0), (2, 4.0), (3, 8.0), (10, 60.0), (500, 60.0)]:
        delays = [retry_delay(attempts, base_s=2.0, cap_s=60.0) for _ in range(300)]
        assert all(0.0 <= d <= ceiling for d in delays)
        # Full jitter: spread over the whole range, not bunched at the ceiling.
        assert min(delays) < ceiling * 0.2 and max(delays) > ceiling * 0.8
