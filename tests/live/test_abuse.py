"""Abuse limits on a live server with small limits: rate limits per connection and per IP answer
``rate_limited`` (on /ws and on the HTTP prediction and question routes), a flood closes with
1008, an oversized frame with 1009, a connection runs a bounded number of queries at once, and an
idle connection is closed."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from hsc_jit.config import Settings
from tests.utils.faults import health, recv_json, until_end, wait_for
from tests.utils.live import LiveServer, live_settings, running

TYPING_BURST = 5
QUERY_BURST = 3
FLOOD_CLOSE_AFTER = 5
IDLE_S = 1.5
MAX_FRAME = 4096


def _limits(tmp: Path, **overrides: Any) -> Settings:
    base = Settings(
        data_dir=tmp,
        fetch_allow_private=True,
        log_json=False,
        log_level="WARNING",
        catalog_poll_s=3600,
        typing_rate_per_s=0.01,  # no refill worth counting during a test
        typing_burst=TYPING_BURST,
        query_rate_per_min=0.6,
        query_burst=QUERY_BURST,
        ip_rate_multiplier=1000,
        max_concurrent_queries=1,
        flood_close_after=FLOOD_CLOSE_AFTER,
        ws_idle_timeout_s=IDLE_S,
        max_frame_bytes=MAX_FRAME,
    )
    return live_settings(base, **overrides)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with running(_limits(tmp_path_factory.mktemp("abuse"))) as live:
        yield live


def typing(text: str, seq: int | None = None) -> str:
    return json.dumps({"type": "typing", "content": text, "seq": seq})


def query(product_id: str, seq: int) -> str:
    return json.dumps({"type": "query", "product_id": product_id, "query": "volume?", "seq": seq})


async def _read_forever(ws: Any) -> None:
    while True:
        await recv_json(ws, within_s=10)


async def closed_code(ws: Any) -> int | None:
    """Read until the server closes; the close code it sent."""
    with pytest.raises(ConnectionClosed) as closed:
        await _read_forever(ws)
    return closed.value.rcvd.code if closed.value.rcvd else None


async def test_typing_over_the_rate_is_refused_and_a_flood_closes_with_1008(
    server: LiveServer,
) -> None:
    async with websockets.connect(server.ws_url) as ws:
        for seq in range(TYPING_BURST):
            await ws.send(typing("rol", seq))
            assert (await recv_json(ws))["type"] == "prediction"
        for seq in range(FLOOD_CLOSE_AFTER - 1):
            await ws.send(typing("rol", 100 + seq))
            error = await recv_json(ws)
            assert (error["type"], error["code"], error["seq"]) == (
                "error",
                "rate_limited",
                100 + seq,
            )
        # A ping spends from the same budget: over it, it is one more refused frame.
        await ws.send(json.dumps({"type": "ping", "seq": 1}))
        assert await closed_code(ws) == 1008


async def test_a_flood_of_invalid_frames_closes_with_1008(server: LiveServer) -> None:
    async with websockets.connect(server.ws_url) as ws:
        for _ in range(FLOOD_CLOSE_AFTER - 1):
            await ws.send("{not json")
            assert (await recv_json(ws))["code"] == "invalid_json"
        await ws.send(json.dumps({"type": "no-such-type"}))
        assert await closed_code(ws) == 1008


async def test_a_ping_flood_closes_with_1008(server: LiveServer) -> None:
    async with websockets.connect(server.ws_url) as ws:
        answered = 0
        for seq in range(TYPING_BURST + FLOOD_CLOSE_AFTER + 5):
            try:
                await ws.send(json.dumps({"type": "ping", "seq": seq}))
                if (await recv_json(ws))["type"] == "pong":
                    answered += 1
            except ConnectionClosed:
                break
        assert await closed_code(ws) == 1008
    assert answered <= TYPING_BURST + 5  # the budget, plus what refills meanwhile


async def test_a_page_on_another_site_may_not_open_the_socket(server: LiveServer) -> None:
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(server.ws_url, origin=Origin("https://evil.example")):
            pass
    own = server.url  # the app's own pages may, and so may clients that send no Origin
    async with websockets.connect(server.ws_url, origin=Origin(own)) as ws:
        await ws.send(json.dumps({"type": "ping", "seq": 1}))
        assert await recv_json(ws) == {"type": "pong", "seq": 1}


async def test_a_refused_frame_does_not_count_once_the_client_slows_down(
    tmp_path: Path,
) -> None:
    settings = _limits(tmp_path, typing_rate_per_s=20.0, typing_burst=2, flood_close_after=3)
    with running(settings) as fast:
        async with websockets.connect(fast.ws_url) as ws:
            for _round in range(4):  # two refusals in a row, then a pause: never closed
                codes = []
                for _ in range(4):
                    await ws.send(typing("shure"))
                    message = await recv_json(ws)
                    codes.append(message.get("code", message["type"]))
                assert codes.count("rate_limited") <= 2, codes
                await asyncio.sleep(0.15)
            await ws.send(json.dumps({"type": "ping", "seq": 2}))
            assert await recv_json(ws) == {"type": "pong", "seq": 2}


async def test_queries_over_the_rate_are_refused(server: LiveServer) -> None:
    async with websockets.connect(server.ws_url) as ws:
        for seq in range(QUERY_BURST):
            await ws.send(query("ghost", seq))
            assert (await until_end(ws))[-1]["code"] == "product_not_found"
        await ws.send(query("ghost", 99))
        refused = await recv_json(ws)
        assert (refused["type"], refused["code"], refused["seq"]) == ("error", "rate_limited", 99)


async def test_one_connection_runs_a_bounded_number_of_queries_at_once(
    server: LiveServer,
) -> None:
    async with websockets.connect(server.ws_url) as ws:
        await ws.send(query("shure-sm58", 1))
        await ws.send(query("shure-sm58", 2))
        messages: list[dict[str, Any]] = []
        while not any(m["type"] == "final_answer" for m in messages):
            messages.append(await recv_json(ws))
    refused = [m for m in messages if m["type"] == "error"]
    assert [(m["code"], m["seq"]) for m in refused] == [("rate_limited", 2)]
    assert "wait for the current answer" in refused[0]["message"]
    assert messages[-1]["seq"] == 1


@pytest.mark.parametrize("frame", ["x" * (MAX_FRAME + 1), b"\x00" * (MAX_FRAME + 1)])
async def test_a_frame_over_the_size_limit_closes_with_1009(
    server: LiveServer, frame: str | bytes
) -> None:
    async with websockets.connect(server.ws_url, max_size=None) as ws:
        await ws.send(frame)
        assert await closed_code(ws) == 1009


async def test_an_idle_connection_is_closed(server: LiveServer) -> None:
    async with websockets.connect(server.ws_url) as ws:
        await ws.send(json.dumps({"type": "ping"}))
        await recv_json(ws)
        started = time.monotonic()
        code = await closed_code(ws)
    assert code == 1000
    assert IDLE_S - 0.1 <= time.monotonic() - started < IDLE_S + 2


def test_per_ip_limits_span_connections(tmp_path: Path) -> None:
    async def scenario(server: LiveServer) -> None:
        async with (
            websockets.connect(server.ws_url) as first,
            websockets.connect(server.ws_url) as second,
        ):
            for _ in range(TYPING_BURST):  # the IP's typing allowance, all on the first
                await first.send(typing("nord"))
                assert (await recv_json(first))["type"] == "prediction"
            await second.send(typing("nord", 5))
            refused = await recv_json(second)
            assert (refused["code"], refused["seq"]) == ("rate_limited", 5)
            for seq in range(QUERY_BURST):
                await first.send(query("ghost", seq))
                await until_end(first)
            await second.send(query("ghost", 7))
            refused = await recv_json(second)
            assert (refused["code"], refused["seq"]) == ("rate_limited", 7)

    # With a multiplier of 1, one IP may do what one connection may.
    with running(_limits(tmp_path, ip_rate_multiplier=1)) as server:
        asyncio.run(scenario(server))
        wait_for(lambda: health(server)["connections"]["websockets"] == 0, what="sockets closed")


def test_http_predictions_and_questions_share_the_per_ip_limits(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Per IP: 1 x the per-connection bursts, so the second prediction and question are refused.
    settings = _limits(
        tmp_path_factory.mktemp("http-limits"),
        typing_burst=1,
        query_burst=1,
        ip_rate_multiplier=1,
    )
    with running(settings) as live, httpx.Client(base_url=live.url) as client:
        assert client.get("/api/predict", params={"q": "nord"}).status_code == 200
        refused = client.get("/api/predict", params={"q": "nord"})
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["error"]["code"] == "rate_limited"

        body = {"product_id": "shure-sm58", "query": "volume?"}
        assert client.post("/api/ask", json=body).status_code == 200
        refused = client.post("/api/ask", json=body)
        assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
        assert refused.json()["error"]["code"] == "rate_limited"
        metrics = client.get("/metrics").text
    assert 'rate_limited_total{kind="http_predict"} 1.0' in metrics
    assert 'rate_limited_total{kind="http_ask"} 1.0' in metrics
