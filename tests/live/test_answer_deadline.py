"""No customer left waiting: a manual server that never answers still ends the question in time.

The question hears at once that the manual is being read, then every few seconds that it is
still being fetched, and gets a clear error by ``HSC_ANSWER_DEADLINE_S``; the download goes
on, and the next question about the product is answered from it once it arrives.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import websockets

from hsc_jit.config import Settings
from tests.utils.background import in_background
from tests.utils.faults import ADMIN_TOKEN, fault_catalog, import_catalog, recv_json
from tests.utils.live import LiveServer, live_settings, running
from tests.utils.manual_server import ManualServer, Request, manual_server, respond
from tests.utils.pdfs import text_pdf

DEADLINE_S = 6.0
MANUAL = text_pdf(
    [
        "Slowco S-1 Owner's Manual\nConnect headphones to the PHONES jack on the front panel.",
        "Power\nThe S-1 turns itself off after 30 minutes without use (Auto Off).",
    ]
)
released = threading.Event()


async def late(_request: Request, writer: asyncio.StreamWriter) -> None:
    """Accepts the connection and says nothing until the test lets it answer."""
    await asyncio.to_thread(released.wait)
    await respond(writer, 200, MANUAL, {"Content-Type": "application/pdf"})


@pytest.fixture(scope="module")
def manuals() -> Iterator[ManualServer]:
    with in_background(lambda: manual_server({"/late.pdf": late})) as server:
        yield server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, manuals: ManualServer) -> Iterator[LiveServer]:
    base = Settings(
        data_dir=tmp_path_factory.mktemp("deadline"),
        load_demo_catalog=False,
        admin_token=ADMIN_TOKEN,
        fetch_allow_private=True,
        fetch_read_timeout_s=120,  # the server is slow, not dead: the download waits for it
        fetch_total_timeout_s=180,
        fetch_retries=0,
        answer_deadline_s=DEADLINE_S,
        log_json=False,
        log_level="WARNING",
        catalog_poll_s=3600,
    )
    with running(live_settings(base)) as live:
        response = import_catalog(live, fault_catalog({"slowco-s1": manuals.url("/late.pdf")}))
        assert response.status_code == 200, response.text
        yield live


async def _ask(server: LiveServer, question: str) -> list[tuple[float, dict[str, Any]]]:
    """Every message of one question, with the seconds since it was sent."""
    timed: list[tuple[float, dict[str, Any]]] = []
    async with websockets.connect(server.ws_url) as ws:
        started = time.monotonic()
        await ws.send(json.dumps({"type": "query", "product_id": "slowco-s1", "query": question}))
        while True:
            message = await recv_json(ws, within_s=DEADLINE_S + 10)
            timed.append((time.monotonic() - started, message))
            if message["type"] in ("final_answer", "error"):
                return timed


async def test_a_silent_manual_server_gets_statuses_then_an_error_by_the_deadline(
    server: LiveServer,
) -> None:
    timed = await _ask(server, "How do I connect headphones?")
    first_at, first = timed[0]
    assert first["type"] == "status" and first_at < 1.0
    still = [t for t, m in timed if m.get("msg", "").startswith("Still fetching")]
    assert still, timed  # told every few seconds that it is still coming
    ended_at, end = timed[-1]
    assert end["type"] == "error" and end["code"] == "document_unavailable"
    assert "keep fetching" in end["message"]
    assert DEADLINE_S - 0.5 <= ended_at <= DEADLINE_S + 2.0


async def test_the_download_goes_on_and_the_next_question_is_answered(
    server: LiveServer,
) -> None:
    released.set()
    for _ in range(40):  # the download finishes in the background
        timed = await _ask(server, "How do I connect headphones?")
        if timed[-1][1]["type"] == "final_answer":
            break
        await asyncio.sleep(0.25)
    answer = "".join(m.get("content", "") for _, m in timed if m["type"] == "answer_chunk")
    assert timed[-1][1]["type"] == "final_answer", timed
    assert "PHONES jack" in answer
