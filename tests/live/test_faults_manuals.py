"""Manual servers that misbehave, through the whole query flow of a live server.

Each question about a product whose manual hangs, drips, floods, loops or is corrupt ends in one
``error`` with code ``document_unavailable``, within the fetch time limits of the settings, and
the socket stays usable. The fetcher's own unit tests are in test_fetch_client.py.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator

import httpx
import pytest

from hsc_jit.config import Settings
from hsc_jit.services.answers import AnswerService
from tests.utils.background import in_background
from tests.utils.faults import ADMIN_TOKEN, ask, ask_http, fault_catalog, import_catalog
from tests.utils.live import LiveServer, live_settings, running
from tests.utils.manual_server import ManualServer, Request, manual_server, respond

TOTAL_TIMEOUT_S = 3.0
MAX_BYTES = 2 * 1024 * 1024
JUNK_BYTES = 50 * 1024 * 1024


async def hang(_request: Request, _writer: asyncio.StreamWriter) -> None:
    await asyncio.Event().wait()  # reads the request, never answers


async def drip(_request: Request, writer: asyncio.StreamWriter) -> None:
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 100000\r\n\r\n"
    )
    while True:  # one byte a second: never a read timeout, always the total one
        writer.write(b"%")
        await writer.drain()
        await asyncio.sleep(1)


async def junk(_request: Request, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n")
    block = os.urandom(64 * 1024)
    for _ in range(JUNK_BYTES // len(block)):  # 50 MB, no length declared
        writer.write(block)
        await writer.drain()


async def small_junk(_request: Request, writer: asyncio.StreamWriter) -> None:
    await respond(writer, 200, os.urandom(200_000), {"Content-Type": "application/octet-stream"})


async def loop(request: Request, writer: asyncio.StreamWriter) -> None:
    await respond(writer, 302, headers={"Location": request.path})


async def corrupt_pdf(_request: Request, writer: asyncio.StreamWriter) -> None:
    body = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + os.urandom(20_000)
    await respond(writer, 200, body, {"Content-Type": "application/pdf"})


async def truncated_pdf(_request: Request, writer: asyncio.StreamWriter) -> None:
    body = b"%PDF-1.4\n" + b"0" * 40_000
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n"
        + f"Content-Length: {len(body) * 2}\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    writer.transport.abort()  # the connection drops mid-body


ROUTES = {
    "/hang.pdf": hang,
    "/drip.pdf": drip,
    "/junk.bin": junk,
    "/small-junk.bin": small_junk,
    "/loop.pdf": loop,
    "/corrupt.pdf": corrupt_pdf,
    "/truncated.pdf": truncated_pdf,
}
CASES = {
    "fault-hang": "/hang.pdf",
    "fault-drip": "/drip.pdf",
    "fault-junk": "/junk.bin",
    "fault-small-junk": "/small-junk.bin",
    "fault-loop": "/loop.pdf",
    "fault-corrupt": "/corrupt.pdf",
    "fault-truncated": "/truncated.pdf",
}


@pytest.fixture(scope="module")
def manuals() -> Iterator[ManualServer]:
    with in_background(lambda: manual_server(dict(ROUTES))) as server:
        yield server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, manuals: ManualServer) -> Iterator[LiveServer]:
    base = Settings(
        data_dir=tmp_path_factory.mktemp("faults"),
        load_demo_catalog=False,
        admin_token=ADMIN_TOKEN,
        fetch_allow_private=True,
        fetch_connect_timeout_s=1,
        fetch_read_timeout_s=2,
        fetch_total_timeout_s=TOTAL_TIMEOUT_S,
        fetch_retries=0,
        fetch_max_bytes=MAX_BYTES,
        fetch_max_redirects=3,
        log_json=False,
        log_level="WARNING",
        catalog_poll_s=3600,
        query_burst=50,
    )
    with running(live_settings(base)) as live:
        catalog: dict[str, str | None] = {pid: manuals.url(path) for pid, path in CASES.items()}
        response = import_catalog(live, fault_catalog(catalog))
        assert response.status_code == 200, response.text
        yield live


async def test_every_broken_manual_ends_in_one_document_unavailable(
    server: LiveServer, manuals: ManualServer
) -> None:
    async def one(product_id: str) -> tuple[str, float, list[dict[str, object]]]:
        started = time.monotonic()
        messages = await ask(server, product_id, "How do I connect headphones?", seq=5)
        return product_id, time.monotonic() - started, messages

    results = await asyncio.gather(*(one(pid) for pid in CASES))
    for product_id, elapsed, messages in results:
        ends = [m for m in messages if m["type"] in ("error", "final_answer")]
        assert len(ends) == 1, (product_id, messages)
        assert ends[0]["type"] == "error", (product_id, messages)
        assert ends[0]["code"] == "document_unavailable", (product_id, ends[0])
        assert ends[0]["seq"] == 5
        assert not any(m["type"] == "answer_chunk" for m in messages), product_id
        # v3's client reads the words from a status right before the error.
        assert messages[-2] == {"type": "status", "msg": ends[0]["message"]}, product_id
        assert elapsed < TOTAL_TIMEOUT_S + 4, (product_id, elapsed)
    assert all(manuals.hits[path] >= 1 for path in ROUTES)
    assert manuals.hits["/loop.pdf"] == 4  # the first request and three redirects, no more


async def test_a_failed_manual_fails_fast_for_a_while_and_says_so(
    server: LiveServer, manuals: ManualServer
) -> None:
    before = manuals.hits["/corrupt.pdf"]
    first = await ask(server, "fault-corrupt", "Where is the power switch?", seq=1)
    again = await ask(server, "fault-corrupt", "Where is the power switch?", seq=2)
    assert first[-1]["code"] == again[-1]["code"] == "document_unavailable"
    assert "try again" in again[-1]["message"]
    assert manuals.hits["/corrupt.pdf"] <= before + 1  # the second question waits for nothing


async def test_whatever_is_raised_a_question_ends_in_one_error(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a parser's RecursionError on a deeply nested page once did: the socket used to say
    # nothing more and POST /api/ask cut its stream.
    async def explode(*_args: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(AnswerService, "_evidence", explode)
    messages = await ask(server, "fault-corrupt", "Where is the power switch?", seq=9)
    end = messages[-1]
    assert end["type"] == "error" and end["code"] == "internal" and end["seq"] == 9
    # The question's own end: the words in a status first (v3's client) and its ids.
    assert messages[-2] == {"type": "status", "msg": end["message"]}
    assert end["conversation_id"] and end["answer_id"]
    lines = ask_http(server, "fault-corrupt", "Where is the power switch?")
    assert lines[-1]["type"] == "error" and lines[-1]["code"] == "internal"


def test_the_server_is_healthy_after_the_faults(server: LiveServer) -> None:
    body = httpx.get(f"{server.url}/health", timeout=10).json()
    assert body["status"] == "healthy"
    assert body["connections"] == {"websockets": 0, "queries_in_flight": 0}
    assert httpx.get(f"{server.url}/ready", timeout=10).status_code == 200
