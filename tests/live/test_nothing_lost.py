"""Nothing lost: a refused import keeps the old catalog, a broken download stores nothing, and
a restart keeps every stored page."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hsc_jit.catalog.db import create_engine, create_sessionmaker
from hsc_jit.config import Settings
from hsc_jit.documents import store
from hsc_jit.documents.store import LoadedDocument
from tests.utils.background import in_background
from tests.utils.faults import ADMIN_TOKEN, ask, fault_catalog, import_catalog, predict
from tests.utils.live import LiveServer, live_settings, running
from tests.utils.manual_server import ManualServer, Request, manual_server, respond
from tests.utils.pdfs import text_pdf

MANUAL = text_pdf(
    [
        "Quick start. Unpack the unit and place it on a stable surface.",
        "Headphones. Connect your headphones to the PHONES jack on the front panel. "
        "Turn the VOLUME knob down before you connect headphones.",
        "Power. Press the POWER switch on the rear panel to turn the unit on.",
    ],
    title="Testmaker TM-1 Owner's Manual",
)
QUESTION = "How do I connect headphones?"


class FlakyManual:
    """Serves the manual, or drops the connection halfway through the body."""

    def __init__(self) -> None:
        self.drop = True

    async def __call__(self, _request: Request, writer: asyncio.StreamWriter) -> None:
        if not self.drop:
            await respond(writer, 200, MANUAL, {"Content-Type": "application/pdf"})
            return
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n"
            + f"Content-Length: {len(MANUAL)}\r\n\r\n".encode()
            + MANUAL[: len(MANUAL) // 2]
        )
        await writer.drain()
        writer.transport.abort()


@pytest.fixture
def flaky() -> FlakyManual:
    return FlakyManual()


@pytest.fixture
def manuals(flaky: FlakyManual) -> Iterator[ManualServer]:
    with in_background(lambda: manual_server({"/tm-1.pdf": flaky})) as server:
        yield server


def _settings(data_dir: Path) -> Settings:
    return live_settings(
        Settings(
            data_dir=data_dir,
            load_demo_catalog=False,
            admin_token=ADMIN_TOKEN,
            fetch_allow_private=True,
            fetch_retries=0,
            fetch_read_timeout_s=2,
            fetch_total_timeout_s=5,
            fetch_failure_ttl_s=0,  # the next question tries the manual again at once
            log_json=False,
            log_level="WARNING",
            catalog_poll_s=3600,
        )
    )


async def _stored(settings: Settings, url: str) -> LoadedDocument | None:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            return await store.load(session, url)
    finally:
        await engine.dispose()


def _import(server: LiveServer, manuals: ManualServer) -> str:
    url = manuals.url("/tm-1.pdf")
    response = import_catalog(server, fault_catalog({"testmaker-tm-1": url}, brand="testmaker"))
    assert response.status_code == 200, response.text
    return url


def test_a_refused_import_leaves_the_previous_catalog_serving(tmp_path: Path) -> None:
    with running(_settings(tmp_path)) as server:
        good = fault_catalog({"acme-rocket-7": None, "acme-anvil-2": None}, brand="acme")
        assert import_catalog(server, good).status_code == 200
        before = {text: predict(server, text) for text in ("acme rocket", "anvil", "")}
        version = httpx.get(f"{server.url}/health").json()["index"]["catalog_version"]

        bad_files = [
            # the second product has no name: the whole file is refused
            b'{"brand_identity": {"id": "acme", "name": "Acme"}, "products": '
            b'[{"id": "acme-new-1", "name": "New"}, {"id": "acme-broken"}]}',
            b'{"brand_identity": {"id": "acme", "name": "Acme"}, "products": [{"id": ',
            b"\xff\xfe not utf-8",
        ]
        for body in bad_files:
            response = import_catalog(server, body)
            assert response.status_code == 422, response.text
        assert httpx.get(f"{server.url}/health").json()["index"]["catalog_version"] == version
        assert {text: predict(server, text) for text in before} == before
        assert "acme-new-1" not in predict(server, "new")
        assert httpx.get(f"{server.url}/api/products/acme-new-1").status_code == 404


async def test_a_download_broken_midway_stores_nothing_and_a_later_one_stores_it(
    tmp_path: Path, manuals: ManualServer, flaky: FlakyManual
) -> None:
    settings = _settings(tmp_path)
    with running(settings) as server:
        url = _import(server, manuals)
        messages = await ask(server, "testmaker-tm-1", QUESTION)
        assert messages[-1]["code"] == "document_unavailable"
        assert await _stored(settings, url) is None

        flaky.drop = False
        messages = await ask(server, "testmaker-tm-1", QUESTION)
        assert messages[-1]["type"] == "final_answer", messages[-1]
        stored = await _stored(settings, url)
        assert stored is not None and len(stored.pages) == 3
        assert "PHONES jack" in stored.pages[1].text
    assert manuals.hits["/tm-1.pdf"] == 2


async def test_a_restart_keeps_the_stored_pages(tmp_path: Path, flaky: FlakyManual) -> None:
    flaky.drop = False
    settings = _settings(tmp_path)
    with in_background(lambda: manual_server({"/tm-1.pdf": flaky})) as manuals:
        with running(settings) as first:
            _import(first, manuals)
            answered = await ask(first, "testmaker-tm-1", QUESTION)
            assert answered[-1]["type"] == "final_answer"
        hits = manuals.hits["/tm-1.pdf"]
    assert hits == 1
    # The manual's server is gone; a new instance on the same data answers from stored pages.
    with running(live_settings(settings)) as second:
        again = await ask(second, "testmaker-tm-1", QUESTION)
    final = again[-1]
    assert final["type"] == "final_answer", final
    assert final["found"] is True and final["cached"] is False
    chunks = "".join(m["content"] for m in again if m["type"] == "answer_chunk")
    assert "PHONES" in chunks
    assert [s["page"] for s in final["sources"]] == [2]
