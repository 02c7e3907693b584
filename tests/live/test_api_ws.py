"""The /ws socket of PROTOCOL.md against a live server on the demo catalog."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from hsc_jit.api.schemas import ServerMessage
from tests.utils.live import LiveServer

MARKER = re.compile(r"\[(MANUAL|SUGGESTION|PRO TIP): [^\]]*\]")


async def recv(ws: Any) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await ws.recv())
    return message


async def until_end(ws: Any) -> list[dict[str, Any]]:
    messages = []
    while True:
        message = await recv(ws)
        messages.append(message)
        if message["type"] in ("final_answer", "error"):
            return messages


async def test_typing_echoes_seq_and_query(demo_server: LiveServer) -> None:
    async with websockets.connect(demo_server.ws_url + "?client_id=t-1") as ws:
        await ws.send(json.dumps({"type": "typing", "content": "rolnd td27", "seq": 7}))
        message = await recv(ws)
    assert message["type"] == "prediction"
    assert message["seq"] == 7 and message["query"] == "rolnd td27"
    assert message["data"][0]["product"]["id"] == "roland-td27kv"
    assert {"product", "brand", "context", "confidence", "match_text"} <= set(message["data"][0])


async def test_typing_on_a_brands_page_predicts_only_that_brand(demo_server: LiveServer) -> None:
    async with websockets.connect(demo_server.ws_url) as ws:
        await ws.send(json.dumps({"type": "typing", "content": "td27", "brand": "shure", "seq": 1}))
        other = await recv(ws)
        await ws.send(
            json.dumps({"type": "typing", "content": "sm 58", "brand": "shure", "seq": 2})
        )
        own = await recv(ws)
        await ws.send(json.dumps({"type": "typing", "content": "", "brand": "nord", "seq": 3}))
        sample = await recv(ws)
        await ws.send(json.dumps({"type": "typing", "content": "x", "brand": "acme", "seq": 4}))
        unknown = await recv(ws)
    assert all(p["product"]["brand"] == "shure" for p in other["data"])
    assert own["data"][0]["product"]["id"] == "shure-sm58"
    assert sample["data"] and {p["product"]["brand"] for p in sample["data"]} == {"nord"}
    assert unknown["type"] == "error" and unknown["code"] == "not_found"
    assert unknown["seq"] == 4 and "acme" in unknown["message"]


async def test_frames_without_seq_are_answered_in_order(demo_server: LiveServer) -> None:
    texts = ["n", "no", "nor", "nord", "nord st", "nord stage", "shure", "shure sm58"]
    async with websockets.connect(demo_server.ws_url) as ws:
        for text in texts:
            await ws.send(json.dumps({"type": "typing", "content": text}))
        answers = [await recv(ws) for _ in texts]
    assert [a["query"] for a in answers] == texts


async def test_bad_frames_get_errors_and_the_socket_stays_open(demo_server: LiveServer) -> None:
    async with websockets.connect(demo_server.ws_url) as ws:
        for raw, code in [
            ("{nope", "invalid_json"),
            ('{"type": "fly", "seq": 2}', "unknown_type"),
            ('{"type": "typing", "content": "' + "x" * 1001 + '"}', "invalid_message"),
        ]:
            await ws.send(raw)
            error = await recv(ws)
            assert error == {**error, "type": "error", "code": code}
        await ws.send(json.dumps({"type": "ping", "seq": 3}))
        assert await recv(ws) == {"type": "pong", "seq": 3}


async def test_query_streams_a_cited_answer(demo_server: LiveServer) -> None:
    async with websockets.connect(demo_server.ws_url) as ws:
        await ws.send(
            json.dumps(
                {
                    "type": "query",
                    "product_id": "roland-td27kv",
                    "query": "How do I connect headphones?",
                    "scenario": "live",
                    "seq": 11,
                }
            )
        )
        messages = await until_end(ws)
    types = [m["type"] for m in messages]
    assert types[0] == "status" and types[-1] == "final_answer"
    chunks = [m["content"] for m in messages if m["type"] == "answer_chunk"]
    assert any(c.startswith("[MANUAL: page ") for c in chunks)
    for chunk in chunks:  # markers stand alone in their chunk
        for marker in MARKER.finditer(chunk):
            assert marker.group(0) == chunk
    context = next(m for m in messages if m["type"] == "context")
    assert context["data"]["scenario"] == "live"
    assert context["data"]["brand"]["id"] == "roland"
    final = messages[-1]
    assert final["seq"] == 11 and final["found"] is True


async def test_a_question_worded_unlike_the_manual_finds_the_answer(
    demo_server: LiveServer,
) -> None:
    # No "auto" in the question: the page is found by meaning, not by a shared word.
    question = "my drum module keeps switching off after a while, how do I stop that?"
    async with websockets.connect(demo_server.ws_url) as ws:
        await ws.send(
            json.dumps({"type": "query", "product_id": "roland-td27kv", "query": question})
        )
        messages = await until_end(ws)
    chunks = [m["content"] for m in messages if m["type"] == "answer_chunk"]
    # The Auto Off page; which of its sentences lead is the answer ranker's call.
    assert "[MANUAL: page 5]" in chunks
    assert messages[-1]["found"] is True


async def test_unknown_product_query_ends_in_error(demo_server: LiveServer) -> None:
    async with websockets.connect(demo_server.ws_url) as ws:
        await ws.send(json.dumps({"type": "query", "product_id": "ghost", "query": "hi", "seq": 1}))
        messages = await until_end(ws)
    assert messages[-1]["code"] == "product_not_found" and messages[-1]["seq"] == 1


async def test_every_frame_is_its_model_to_the_byte(demo_server: LiveServer) -> None:
    frames: list[str | bytes] = []

    async def exchange(frame: dict[str, Any] | str, until: tuple[str, ...] = ()) -> None:
        await ws.send(frame if isinstance(frame, str) else json.dumps(frame))
        while True:
            frames.append(await ws.recv())
            if not until or json.loads(frames[-1])["type"] in until:
                return

    async with websockets.connect(demo_server.ws_url) as ws:
        await exchange({"type": "typing", "content": "", "seq": 1})  # the catalog sample
        await exchange({"type": "typing", "content": "rolnd td27"})  # no seq: null echoed
        await exchange({"type": "ping"})
        await exchange("{nope")  # an error without a seq
        question = {"type": "query", "product_id": "roland-td27kv", "query": "Headphones?"}
        await exchange({**question, "seq": 5}, until=("final_answer", "error"))
        await exchange({**question, "product_id": "ghost"}, until=("final_answer", "error"))
    kinds = set()
    for raw in frames:
        text = raw if isinstance(raw, str) else raw.decode()
        message = ServerMessage.model_validate_json(text).root
        assert message.model_dump_json() == text  # same fields, presence, order and values
        kinds.add(message.type)
    assert kinds == {"prediction", "pong", "error", "status", "answer_chunk", "context"} | {
        "final_answer"
    }


async def test_oversized_frame_closes_with_1009(demo_server: LiveServer) -> None:
    async with websockets.connect(demo_server.ws_url, max_size=None) as ws:
        await ws.send("x" * (demo_server.settings.max_frame_bytes + 10))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


async def test_invalid_client_id_is_refused(demo_server: LiveServer) -> None:
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(demo_server.ws_url + "?client_id=bad%20id"):
            pass


async def test_a_hebrew_question_is_answered_from_the_english_manual(
    demo_server: LiveServer,
) -> None:
    """Searched by its English gloss, a Hebrew question finds the page the English one does."""
    answers = []
    async with websockets.connect(demo_server.ws_url) as ws:
        for question in ("How do I connect headphones?", "איך מחברים אוזניות ל-FP-30X?"):
            await ws.send(
                json.dumps({"type": "query", "product_id": "roland-fp30x", "query": question})
            )
            answers.append(await until_end(ws))
    english, hebrew = ([m["content"] for m in a if m["type"] == "answer_chunk"] for a in answers)
    assert hebrew[0].startswith("מתוך המדריך באנגלית: ")
    cited = [c for c in english if c.startswith("[MANUAL: page ")]
    assert cited and cited[0] in hebrew
    assert answers[1][-1]["found"] is True


async def test_hebrew_small_talk_is_not_answered_from_the_manual(demo_server: LiveServer) -> None:
    # "How are you?": none of its words is about the product, so there is nothing to search.
    async with websockets.connect(demo_server.ws_url) as ws:
        await ws.send(
            json.dumps({"type": "query", "product_id": "roland-fp30x", "query": "מה נשמע?"})
        )
        messages = await until_end(ws)
    assert messages[-1]["found"] is False


async def test_the_server_speaks_the_customers_language(demo_server: LiveServer) -> None:
    """Statuses, the refusal and errors in Hebrew when the client says so or the question is
    Hebrew; the English manual quoted as it is, said plainly."""
    async with websockets.connect(demo_server.ws_url) as ws:
        await ws.send(
            json.dumps(
                {
                    "type": "query",
                    "product_id": "roland-fp30x",
                    "query": "How do I connect headphones?",
                    "lang": "he",
                }
            )
        )
        declared = await until_end(ws)
        await ws.send(
            json.dumps({"type": "query", "product_id": "ghost", "query": "איך מחברים אוזניות?"})
        )
        detected = await until_end(ws)
    statuses = [m["msg"] for m in declared if m["type"] == "status"]
    assert statuses[0] == "קורא את המדריך הרשמי..."
    chunks = [m["content"] for m in declared if m["type"] == "answer_chunk"]
    assert chunks[0].startswith("מתוך המדריך באנגלית: ")
    assert "headphones" in " ".join(chunks).lower()  # quoted from the English manual
    assert any(c.startswith("[MANUAL: page ") for c in chunks)
    assert declared[-1]["type"] == "final_answer" and declared[-1]["found"]
    assert detected[-1]["code"] == "product_not_found"
    assert "ghost" in detected[-1]["message"] and "קטלוג" in detected[-1]["message"]
