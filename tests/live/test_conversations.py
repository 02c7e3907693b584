"""Conversations, feedback and handoff over the socket and over HTTP, against a live server on
the demo catalog (no webhook configured: tickets wait in the database)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
import websockets
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.answer.followup import standalone
from hsc_jit.api.schemas import AnswerStreamMessage, HandoffPayload, ServerMessage
from hsc_jit.catalog.db import create_engine, create_sessionmaker
from hsc_jit.support.models import HandoffTicket, Turn
from tests.utils.faults import post, recv_json, until_end
from tests.utils.live import LiveServer

KIT = "roland-td27kv"


@pytest.fixture
async def database(demo_server: LiveServer) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The live server's own database, to see what it stored."""
    engine = create_engine(demo_server.settings)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


async def turn(sessionmaker: async_sessionmaker[AsyncSession], answer_id: str) -> Turn:
    async with sessionmaker() as session:
        row = await session.scalar(select(Turn).where(Turn.answer_id == answer_id))
    assert row is not None, answer_id
    return row


async def query(ws: Any, text: str, **fields: Any) -> dict[str, Any]:
    """Ask on the socket; the message that ended the answer, checked against its model."""
    await ws.send(json.dumps({"type": "query", "product_id": KIT, "query": text, **fields}))
    end = (await until_end(ws))[-1]
    ServerMessage.model_validate(end)
    return end


async def test_a_follow_up_continues_the_conversation_with_the_earlier_turn(
    demo_server: LiveServer, database: async_sessionmaker[AsyncSession]
) -> None:
    async with websockets.connect(demo_server.ws_url) as ws:
        first = await query(ws, "How do I connect the kick pad?", seq=1)
        follow_up = await query(
            ws, "and the hi-hat?", conversation_id=first["conversation_id"], seq=2
        )
    assert first["type"] == follow_up["type"] == "final_answer"
    assert first["conversation_id"] == follow_up["conversation_id"]
    assert len({first["conversation_id"], first["answer_id"], follow_up["answer_id"]}) == 3
    earlier, later = (
        await turn(database, first["answer_id"]),
        await turn(database, follow_up["answer_id"]),
    )
    assert later.text == "and the hi-hat?"
    assert later.question == standalone("and the hi-hat?", [earlier.question])
    assert "hi-hat" in later.question and "connect" in later.question.lower()
    assert later.answer and later.provider == "extractive"
    assert later.sources == follow_up["sources"]


async def test_another_product_never_joins_a_conversation(demo_server: LiveServer) -> None:
    async with websockets.connect(demo_server.ws_url) as ws:
        kit = await query(ws, "How do I connect headphones?", conversation_id="shop-chat.42")
        await ws.send(
            json.dumps(
                {
                    "type": "query",
                    "product_id": "roland-fp30x",
                    "query": "How do I connect headphones?",
                    "conversation_id": "shop-chat.42",
                }
            )
        )
        piano = (await until_end(ws))[-1]
    assert kit["conversation_id"] == "shop-chat.42"  # a client-made id is taken as it is
    assert piano["conversation_id"] not in ("shop-chat.42", "")


async def test_an_error_that_ends_a_query_names_its_conversation_and_answer(
    demo_server: LiveServer,
) -> None:
    async with websockets.connect(demo_server.ws_url) as ws:
        await ws.send(json.dumps({"type": "query", "product_id": "nope", "query": "hi", "seq": 4}))
        status, error = await until_end(ws)
    assert status == {"type": "status", "msg": error["message"]}
    assert error["code"] == "product_not_found" and error["seq"] == 4
    assert error["conversation_id"] and error["answer_id"]


def test_ask_over_http_takes_and_returns_the_conversation(demo_server: LiveServer) -> None:
    def ask(body: dict[str, Any]) -> dict[str, Any]:
        with httpx.stream("POST", f"{demo_server.url}/api/ask", json=body, timeout=30) as lines:
            messages = [line for line in lines.iter_lines() if line]
        for line in messages:  # each line is its model, to the byte
            assert AnswerStreamMessage.model_validate_json(line).model_dump_json() == line
        end: dict[str, Any] = json.loads(messages[-1])
        return end

    first = ask({"product_id": KIT, "query": "How do I connect the kick pad?"})
    again = ask(
        {"product_id": KIT, "query": "and the hi-hat?", "conversation_id": first["conversation_id"]}
    )
    assert first["type"] == again["type"] == "final_answer"
    assert again["conversation_id"] == first["conversation_id"]
    assert again["answer_id"] != first["answer_id"]
    failed = ask({"product_id": "nope", "query": "hi"})
    assert failed["type"] == "error" and failed["conversation_id"] and failed["answer_id"]
    refused = httpx.post(
        f"{demo_server.url}/api/ask",
        json={"product_id": KIT, "query": "hi", "conversation_id": "has spaces"},
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid_request"


async def test_feedback_over_the_socket_and_over_http(
    demo_server: LiveServer, database: async_sessionmaker[AsyncSession]
) -> None:
    async with websockets.connect(demo_server.ws_url) as ws:
        answer_id = (await query(ws, "How do I connect headphones?"))["answer_id"]
        await ws.send(
            json.dumps(
                {
                    "type": "feedback",
                    "answer_id": answer_id,
                    "rating": "down",
                    "comment": "Which jack?",
                    "seq": 5,
                }
            )
        )
        ack = await recv_json(ws)
        await ws.send(json.dumps({"type": "feedback", "answer_id": "never-given", "rating": "up"}))
        unknown = await recv_json(ws)
        await ws.send(json.dumps({"type": "feedback", "answer_id": answer_id, "rating": "meh"}))
        invalid = await recv_json(ws)
    assert ack == {"type": "feedback_ack", "answer_id": answer_id, "seq": 5}
    assert unknown["type"] == "error" and unknown["code"] == "not_found"
    assert "never-given" in unknown["message"]
    assert invalid["code"] == "invalid_message" and "rating" in invalid["message"]
    stored = await turn(database, answer_id)
    assert (stored.rating, stored.comment) == ("down", "Which jack?")

    created = post(demo_server, "/api/feedback", json={"answer_id": answer_id, "rating": "up"})
    assert created.status_code == 201 and created.json() == {"answer_id": answer_id}
    stored = await turn(database, answer_id)
    assert (stored.rating, stored.comment) == ("up", None)  # the second rating replaced it
    missing = post(demo_server, "/api/feedback", json={"answer_id": "never-given", "rating": "up"})
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {
            "code": "not_found",
            "message": "No answer with id 'never-given': it may have expired.",
        }
    }


async def test_handoff_over_the_socket_and_over_http(
    demo_server: LiveServer, database: async_sessionmaker[AsyncSession]
) -> None:
    async with websockets.connect(demo_server.ws_url) as ws:
        answered = await query(ws, "How do I connect headphones?")
        await ws.send(
            json.dumps(
                {
                    "type": "handoff",
                    "conversation_id": answered["conversation_id"],
                    "message": "Still no sound in my headphones.",
                    "contact": {"name": "Dana", "email": "dana@example.com", "phone": ""},
                    "seq": 9,
                }
            )
        )
        ack = await recv_json(ws)
        await ws.send(
            json.dumps(
                {"type": "handoff", "conversation_id": "x", "contact": {"email": "not-an-email"}}
            )
        )
        invalid = await recv_json(ws)
    assert ack["type"] == "handoff_ack" and ack["seq"] == 9 and ack["ticket_id"]
    assert invalid["code"] == "invalid_message" and "contact.email" in invalid["message"]

    async with database() as session:
        ticket = await session.get(HandoffTicket, ack["ticket_id"])
    assert ticket is not None and ticket.delivered_at is None  # no webhook here: it waits
    payload = HandoffPayload.model_validate(orjson.loads(ticket.body))
    assert payload.product is not None and payload.product.id == KIT
    assert payload.product.brand == "Roland"
    assert payload.contact.model_dump() == {
        "name": "Dana",
        "email": "dana@example.com",
        "phone": None,
    }
    assert [t.role for t in payload.transcript] == ["customer", "assistant"]
    assert payload.transcript[0].text == "How do I connect headphones?"
    assert payload.transcript[1].found is True and payload.transcript[1].sources

    # A customer with no answered question may still ask for a person.
    created = post(
        demo_server,
        "/api/handoff",
        json={"conversation_id": "never-asked", "message": "Call me please."},
    )
    assert created.status_code == 201 and set(created.json()) == {"ticket_id"}
    async with database() as session:
        lone = await session.get(HandoffTicket, created.json()["ticket_id"])
    assert lone is not None
    lone_payload = HandoffPayload.model_validate_json(lone.body)
    assert lone_payload.product is None and lone_payload.transcript == []
    bad_email = post(
        demo_server, "/api/handoff", json={"conversation_id": "c", "contact": {"email": "dana@"}}
    )
    assert bad_email.status_code == 422
    error = bad_email.json()["error"]
    assert error["code"] == "invalid_request" and "contact.email" in error["message"]
