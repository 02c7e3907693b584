"""Manuals just in time: one download for many questions, stored pages survive a restart,
stale copies are revalidated, the backup URL is used, and a failure stores nothing."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import update

from hsc_jit.cache.factory import build_cache
from hsc_jit.catalog.models import StoredDocument, StoredPage
from hsc_jit.catalog.refs import DocumentRef
from hsc_jit.config import Settings
from hsc_jit.documents.service import DocumentService
from hsc_jit.errors import DocumentUnavailable
from hsc_jit.fetch.client import DocumentFetcher, FetchPolicy, build_http_client
from hsc_jit.fetch.extract import Extractor
from hsc_jit.fetch.pages import EXTRACTION
from tests.utils.db import migrated
from tests.utils.manual_server import ManualServer, Request, manual_server, respond
from tests.utils.pdfs import scanned_pdf, text_pdf

PAGES = [
    "Getting started. Unpack the unit and place it on a flat surface.",
    "Headphones. Connect headphones to the PHONES jack on the front panel.",
    "Auto Off. The unit turns itself off after 30 minutes without use.",
]


@pytest.fixture(scope="module")
def extractor() -> Iterator[Extractor]:
    pool = Extractor(1)
    yield pool
    pool.close()


@dataclass
class Manual:
    content: bytes
    etag: str


def pdf_route(manual: Manual, delay_s: float = 0.0):  # type: ignore[no-untyped-def]
    async def route(request: Request, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(delay_s)
        if request.headers.get("if-none-match") == manual.etag:
            await respond(writer, 304, headers={"ETag": manual.etag})
        else:
            headers = {"Content-Type": "application/pdf", "ETag": manual.etag}
            await respond(writer, 200, manual.content, headers)

    return route


@asynccontextmanager
async def document_service(
    settings: Settings, extractor: Extractor
) -> AsyncIterator[DocumentService]:
    async with migrated(settings) as (_engine, sessionmaker):
        cache = build_cache(settings)
        client = build_http_client(settings)
        fetcher = DocumentFetcher(client, FetchPolicy.from_settings(settings))
        service = DocumentService(settings, sessionmaker, cache, fetcher, extractor)
        try:
            yield service
        finally:
            await service.close()
            await client.aclose()
            await cache.close()


def ref(server: ManualServer, path: str, backup: str | None = None) -> DocumentRef:
    return DocumentRef(server.url(path), server.url(backup) if backup else None, "pdf", None)


async def test_concurrent_questions_download_once_and_restart_refetches_nothing(
    settings: Settings, extractor: Extractor
) -> None:
    manual = Manual(text_pdf(PAGES, title="Demo manual"), '"v1"')
    async with manual_server({"/m.pdf": pdf_route(manual, delay_s=0.3)}) as server:
        async with document_service(settings, extractor) as service:
            results = await asyncio.gather(
                *(service.ready(ref(server, "/m.pdf")) for _ in range(20))
            )
        assert server.hits["/m.pdf"] == 1
        assert {r.document.version for r in results} == {results[0].document.version}
        assert [p.number for p in results[0].document.pages] == [1, 2, 3]
        top = results[0].index.rank("when does the auto off happen", k=1)[0]
        assert top.page == 3

        async with document_service(settings, extractor) as restarted:  # a new process: empty L1
            document = await restarted.load(ref(server, "/m.pdf"))
        assert server.hits["/m.pdf"] == 1
        assert document.version == results[0].document.version


async def test_stale_document_is_revalidated_and_replaced_when_changed(
    settings: Settings, extractor: Extractor
) -> None:
    settings = settings.model_copy(update={"document_ttl_s": 1})
    manual = Manual(text_pdf(PAGES), '"v1"')
    async with manual_server({"/m.pdf": pdf_route(manual)}) as server:
        async with document_service(settings, extractor) as service:
            first = await service.load(ref(server, "/m.pdf"))
            await asyncio.sleep(1.2)
            same = await service.load(ref(server, "/m.pdf"))  # stale: served, revalidated behind
            await asyncio.sleep(0.5)
            assert same.version == first.version
            assert server.hits["/m.pdf"] == 2  # the conditional GET, answered 304

            manual.content = text_pdf([*PAGES, "Bluetooth. Pair the unit from the FUNCTION menu."])
            manual.etag = '"v2"'
            await asyncio.sleep(1.2)
            await service.load(ref(server, "/m.pdf"))
            await asyncio.sleep(1.0)
            await asyncio.sleep(0)
        async with document_service(settings, extractor) as restarted:
            changed = await restarted.load(ref(server, "/m.pdf"))
    assert changed.version != first.version
    assert len(changed.pages) == 4
    assert "Bluetooth" in changed.pages[3].text


async def _as_an_earlier_reader_left_it(settings: Settings, content: bytes) -> None:
    """The stored manual as a release with an older reader stored it: other pages, its mark,
    and its version of the same bytes."""
    async with (
        migrated(settings) as (_engine, sessionmaker),
        sessionmaker() as session,
        session.begin(),
    ):
        await session.execute(
            update(StoredDocument).values(
                extraction=EXTRACTION - 1, content_sha256=hashlib.sha256(content).hexdigest()
            )
        )
        await session.execute(update(StoredPage).values(text="Read by the old reader."))


async def _settled(service: DocumentService) -> None:
    await asyncio.gather(*service._tasks)


async def test_a_manual_an_earlier_reader_stored_is_read_again_from_the_manual(
    settings: Settings, extractor: Extractor
) -> None:
    manual = Manual(text_pdf(PAGES), '"v1"')
    conditional: list[bool] = []
    route = pdf_route(manual)

    async def seen(request: Request, writer: asyncio.StreamWriter) -> None:
        conditional.append("if-none-match" in request.headers)
        await route(request, writer)

    async with manual_server({"/m.pdf": seen}) as server:
        async with document_service(settings, extractor) as service:
            first = await service.load(ref(server, "/m.pdf"))
        await _as_an_earlier_reader_left_it(settings, manual.content)
        async with document_service(settings, extractor) as restarted:
            old = await restarted.ready(ref(server, "/m.pdf"))  # served while it is read again
            assert old.document.extraction == EXTRACTION - 1
            assert "Read by the old reader." in old.index.sentences
            await _settled(restarted)
            # The same process then ranks the new pages: an index is keyed by their version.
            ready = await restarted.ready(ref(server, "/m.pdf"))
            assert ready.document.extraction == EXTRACTION
            assert "Read by the old reader." not in ready.index.sentences
        async with document_service(settings, extractor) as again:
            reread = await again.load(ref(server, "/m.pdf"))
    # Fresh by its age, yet fetched whole (no If-None-Match to answer 304) and read again.
    assert conditional == [False, False]
    assert reread.extraction == EXTRACTION
    assert [p.text for p in reread.pages] == [p.text for p in first.pages]
    assert reread.version == first.version


async def test_a_read_again_that_fails_keeps_the_stored_copy_and_backs_off(
    settings: Settings, extractor: Extractor
) -> None:
    manual = Manual(text_pdf(PAGES), '"v1"')
    up = pdf_route(manual)
    down = {"now": False}

    async def route(request: Request, writer: asyncio.StreamWriter) -> None:
        if down["now"]:
            await respond(writer, 404)
        else:
            await up(request, writer)

    async with manual_server({"/m.pdf": route}) as server:
        async with document_service(settings, extractor) as service:
            await service.load(ref(server, "/m.pdf"))
        await _as_an_earlier_reader_left_it(settings, manual.content)
        down["now"] = True
        async with document_service(settings, extractor) as restarted:
            for _ in range(20):
                served = await restarted.load(ref(server, "/m.pdf"))
                await _settled(restarted)
                assert served.pages[0].text == "Read by the old reader."
    # One download for the first load, one failed read again; not one per question.
    assert server.hits["/m.pdf"] == 2


async def test_backup_url_is_used_when_the_main_one_fails(
    settings: Settings, extractor: Extractor
) -> None:
    manual = Manual(text_pdf(PAGES), '"b"')
    async with (
        manual_server({"/backup.pdf": pdf_route(manual)}) as server,
        document_service(settings, extractor) as service,
    ):
        document = await service.load(ref(server, "/gone.pdf", backup="/backup.pdf"))
    assert server.hits["/gone.pdf"] == 1
    assert document.final_url.endswith("/backup.pdf")
    assert len(document.pages) == 3


async def test_unreadable_manual_is_reported_and_nothing_is_stored(
    settings: Settings, extractor: Extractor
) -> None:
    manual = Manual(scanned_pdf(), '"s"')
    async with manual_server({"/scan.pdf": pdf_route(manual)}) as server:
        async with document_service(settings, extractor) as service:
            with pytest.raises(DocumentUnavailable) as caught:
                await service.load(ref(server, "/scan.pdf"))
            assert caught.value.reason == "scanned_pdf"
            ready, failed = await service.ready_documents([ref(server, "/scan.pdf")])
        assert ready == []
        assert [f.reason for f in failed] == ["scanned_pdf"]
        assert server.hits["/scan.pdf"] == 1  # remembered a while, never stored as a document


async def test_a_failed_download_fails_fast_for_a_while_then_is_tried_again(
    settings: Settings, extractor: Extractor
) -> None:
    settings = settings.model_copy(update={"fetch_failure_ttl_s": 0.5})
    manual = Manual(text_pdf(PAGES), '"v1"')
    broken = _Broken()
    async with manual_server({"/m.pdf": broken}) as server:
        async with document_service(settings, extractor) as service:
            with pytest.raises(DocumentUnavailable):
                await service.load(ref(server, "/m.pdf"))
            tried = server.hits["/m.pdf"]
            with pytest.raises(DocumentUnavailable) as again:
                await service.load(ref(server, "/m.pdf"))
            assert server.hits["/m.pdf"] == tried  # answered from memory, at once
            assert "try again" in again.value.message
            broken.manual = manual
            await asyncio.sleep(0.6)
            document = await service.load(ref(server, "/m.pdf"))
        assert [p.number for p in document.pages] == [1, 2, 3]


class _Broken:
    """404 until ``manual`` is set, then the manual."""

    def __init__(self) -> None:
        self.manual: Manual | None = None

    async def __call__(self, request: Request, writer: asyncio.StreamWriter) -> None:
        if self.manual is None:
            await respond(writer, 404, b"gone")
        else:
            headers = {"Content-Type": "application/pdf", "ETag": self.manual.etag}
            await respond(writer, 200, self.manual.content, headers)


async def test_a_manual_too_large_to_index_is_refused_once_and_remembered(
    settings: Settings, extractor: Extractor
) -> None:
    settings = settings.model_copy(update={"index_cache_mb": 0.01})  # ~10 KB of index
    long_pages = [
        f"Page {n}. " + "The unit has many features worth reading. " * 40 for n in range(8)
    ]
    manual = Manual(text_pdf(long_pages), '"big"')
    async with manual_server({"/big.pdf": pdf_route(manual)}) as server:
        async with document_service(settings, extractor) as service:
            with pytest.raises(DocumentUnavailable) as first:
                await service.ready(ref(server, "/big.pdf"))
            with pytest.raises(DocumentUnavailable) as again:
                await service.ready(ref(server, "/big.pdf"))
        assert first.value.reason == again.value.reason == "too_large"
        assert "too large to search" in again.value.message
        assert again.value is first.value  # not rebuilt: the first refusal answers


async def test_a_manual_with_more_sentences_than_allowed_is_refused_with_the_limit(
    settings: Settings, extractor: Extractor
) -> None:
    pages = [f"Page {n}. " + "Press START to play. " * 30 for n in range(5)]
    manual = Manual(text_pdf(pages), '"wordy"')
    async with manual_server({"/wordy.pdf": pdf_route(manual)}) as server:
        roomy = settings.model_copy(update={"document_max_sentences": 1000})
        async with document_service(roomy, extractor) as service:
            assert (await service.ready(ref(server, "/wordy.pdf"))).index.sentences
        tight = settings.model_copy(update={"document_max_sentences": 100})
        async with document_service(tight, extractor) as service:
            with pytest.raises(DocumentUnavailable) as refused:
                await service.ready(ref(server, "/wordy.pdf"))
            with pytest.raises(DocumentUnavailable) as again:
                await service.ready(ref(server, "/wordy.pdf"))
        assert refused.value.reason == "too_large"
        assert "at most 100 per manual" in refused.value.message
        assert again.value is refused.value  # remembered, not rebuilt
