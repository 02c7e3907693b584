"""Manuals just in time: cache, then database, then one download across all instances.

A document is looked up under its catalog URL in the tiered cache, then in the database; only
when neither has it is it downloaded, under an in-process single flight (the cache's
``get_or_compute``) and a cross-instance lock, so concurrent questions download it once. Stored
documents older than the TTL are revalidated in the background with ETag / Last-Modified while
the stored pages keep serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx
import numpy as np
import structlog
from cachetools import LRUCache, TTLCache
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.cache.tiered import TieredCache
from hsc_jit.catalog.refs import DocumentRef
from hsc_jit.config import Settings
from hsc_jit.documents import store
from hsc_jit.documents.store import LoadedDocument, LoadedPage
from hsc_jit.documents.vectors import DocumentVectors
from hsc_jit.errors import DocumentUnavailable
from hsc_jit.fetch.client import DocumentFetcher, FetchPolicy, FetchResult, build_http_client
from hsc_jit.fetch.extract import DocumentLimits, Extractor
from hsc_jit.fetch.pages import EXTRACTION
from hsc_jit.observability.metrics import DOCUMENT_FETCH, DOCUMENT_UNAVAILABLE
from hsc_jit.retrieve.embed import SentenceEmbedder
from hsc_jit.retrieve.rank import PageIndex

log = structlog.get_logger(__name__)
_CACHE = "documents"
# One sentence's embedding on one core of the machines this runs on (measured: 9-13 ms).
_EMBED_S_PER_SENTENCE = 0.012


@dataclass(frozen=True, slots=True)
class ReadyDocument:
    """A loaded document with its page ranker, ready to answer questions."""

    document: LoadedDocument
    index: PageIndex


class DocumentService:
    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        cache: TieredCache,
        fetcher: DocumentFetcher,
        extractor: Extractor,
        vectors: DocumentVectors | None = None,
    ) -> None:
        self._settings = settings
        self._sessionmaker = sessionmaker
        self._cache = cache
        self._fetcher = fetcher
        self._extractor = extractor
        self._vectors = vectors
        self._indexes: LRUCache[str, PageIndex] = LRUCache(
            maxsize=settings.index_cache_mb * 2**20, getsizeof=_index_bytes
        )
        self._building: dict[str, asyncio.Future[PageIndex]] = {}
        self._revalidating: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._owned: httpx.AsyncClient | None = None
        self._oversized: LRUCache[str, DocumentUnavailable] = LRUCache(maxsize=1024)
        # A manual that just failed fails fast for a while instead of making every question
        # wait the whole download again.
        self._failures: TTLCache[str, DocumentUnavailable] = TTLCache(
            maxsize=4096, ttl=settings.fetch_failure_ttl_s
        )
        # So is a revalidation: the stored copy serves meanwhile, and each question must not
        # start another download of a manual whose server is down.
        self._revalidate_failures: TTLCache[str, bool] = TTLCache(
            maxsize=4096, ttl=settings.fetch_failure_ttl_s
        )
        # Manuals read again for a newer reader go one at a time: after an upgrade every stored
        # manual asks to be, and the extraction pool must keep serving new manuals' questions.
        self._rereads = asyncio.Semaphore(1)

    @classmethod
    def create(
        cls,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        cache: TieredCache,
    ) -> DocumentService:
        """A service with its own pooled HTTP client, extraction processes and embedding thread,
        closed with it."""
        client = build_http_client(settings)
        fetcher = DocumentFetcher(client, FetchPolicy.from_settings(settings))
        vectors = None
        if settings.semantic_ranking:
            threads = settings.embed_threads
            vectors = DocumentVectors(
                sessionmaker,
                settings.semantic_wait_s,
                lambda: SentenceEmbedder(threads),
                cache.lock,
            )
        service = cls(
            settings,
            sessionmaker,
            cache,
            fetcher,
            Extractor(
                settings.extract_workers,
                settings.extract_timeout_s,
                DocumentLimits(
                    settings.document_max_pages,
                    settings.document_max_chars,
                    settings.document_max_html_bytes,
                ),
            ),
            vectors,
        )
        service._owned = client
        return service

    async def ready_documents(
        self, refs: Sequence[DocumentRef]
    ) -> tuple[list[ReadyDocument], list[DocumentUnavailable]]:
        """All of a product's documents, fetched concurrently; failures are returned, not raised."""
        results = await asyncio.gather(*(self.ready(ref) for ref in refs), return_exceptions=True)
        ready: list[ReadyDocument] = []
        failed: list[DocumentUnavailable] = []
        for result in results:
            if isinstance(result, DocumentUnavailable):
                failed.append(result)
            elif isinstance(result, BaseException):
                raise result
            else:
                ready.append(result)
        return ready, failed

    async def ready(self, ref: DocumentRef, vectors_wait_s: float | None = None) -> ReadyDocument:
        """The document with its ranker; ``vectors_wait_s`` overrides how long to wait for
        its sentence vectors (``HSC_SEMANTIC_WAIT_S``)."""
        document = await self.load(ref)
        if document.version in self._oversized:
            raise self._oversized[document.version]
        index = self._indexes.get(document.version)
        if index is None:
            building = self._building.get(document.version)
            if building is None:  # one build per version, however many questions wait for it
                pages = [(p.number, _page_text(p)) for p in document.pages]
                building = asyncio.ensure_future(
                    asyncio.to_thread(PageIndex.build, pages, document.title)
                )
                self._building[document.version] = building
                building.add_done_callback(lambda _: self._building.pop(document.version, None))
            index = await asyncio.shield(building)
            self._keep_or_refuse(document.version, index, ref.url)
        if self._vectors is not None and not index.has_vectors:
            if vectors_wait_s is None:
                # Wait only for a manual short enough to be embedded within the wait; a longer
                # one is answered now from its best pages' sentences (see services/answers.py).
                expected = len(index.sentences) * _EMBED_S_PER_SENTENCE
                wait = self._settings.semantic_wait_s
                vectors_wait_s = wait if expected <= wait else 0.0
            index = await self._vectors.attach(
                document.version,
                index,
                lambda ready: self._keep(document.version, ready),
                vectors_wait_s,
            )
        return ReadyDocument(document, index)

    async def embed_question(self, text: str) -> np.ndarray | None:
        """The question's vector for ranking by meaning, or None when that is off."""
        return None if self._vectors is None else await self._vectors.embed_question(text)

    async def embed_texts(self, texts: list[str]) -> np.ndarray | None:
        """Unit vectors of ``texts`` (grouping alike wordings), or None when that is off."""
        return None if self._vectors is None else await self._vectors.embed_texts(texts)

    async def closeness(self, sentences: list[str], question: np.ndarray) -> dict[str, float]:
        """Cosines of ``sentences`` to the question's vector, embedded now ({} when off)."""
        return {} if self._vectors is None else await self._vectors.closeness(sentences, question)

    def _keep(self, version: str, index: PageIndex) -> None:
        with contextlib.suppress(ValueError):  # grown past the whole cache with its vectors
            self._indexes[version] = index

    def _keep_or_refuse(self, version: str, index: PageIndex, url: str) -> None:
        """Keep the index; one with more sentences than a manual may have, or larger than the
        whole index cache, is refused, and remembered, rather than rebuilt for every question."""
        sentences, most = len(index.sentences), self._settings.document_max_sentences
        limit = self._settings.index_cache_mb
        if sentences > most:
            message = (
                f"The manual holds {sentences:,} sentences; this server reads at most "
                f"{most:,} per manual."
            )
        elif index.nbytes > limit * 2**20:
            message = (
                f"The manual is too large to search here: its index needs "
                f"{index.nbytes / 2**20:.0f} MB, over the {limit} MB limit."
            )
        else:
            self._keep(version, index)
            return
        refused = DocumentUnavailable("too_large", message, url)
        self._oversized[version] = refused
        DOCUMENT_UNAVAILABLE.labels(reason="too_large").inc()
        log.warning(
            "documents.index_too_large",
            url=url,
            mb=round(index.nbytes / 2**20),
            sentences=sentences,
        )
        raise refused

    async def load(self, ref: DocumentRef) -> LoadedDocument:
        failed = self._failures.get(ref.url)
        if failed is not None:
            raise DocumentUnavailable(
                failed.reason,
                f"{failed.message} We tried less than "
                f"{self._settings.fetch_failure_ttl_s:g} s ago and will try again after that.",
                ref.url,
            )
        try:
            data, _hit = await self._cache.get_or_compute(
                _CACHE,
                store.url_key(ref.url),
                self._settings.document_ttl_s,
                lambda: self._load_uncached(ref),
            )
        except DocumentUnavailable as exc:
            if self._settings.fetch_failure_ttl_s > 0:
                self._failures[ref.url] = exc
            raise
        document = LoadedDocument.from_json(data)
        stale = time.time() - document.checked_at > self._settings.document_ttl_s
        if stale or document.extraction < EXTRACTION:
            self._revalidate_later(ref, document)
        return document

    async def _load_uncached(self, ref: DocumentRef) -> dict[str, object]:
        stored = await self._stored(ref.url)
        if stored is not None:
            return stored.to_json()
        # Another instance may be downloading it: wait for its lock, then look again.
        async with self._cache.lock(f"fetch:{store.url_key(ref.url)}", timeout=120):
            stored = await self._stored(ref.url)
            if stored is not None:
                return stored.to_json()
            return (await self._download(ref)).to_json()

    async def _stored(self, url: str) -> LoadedDocument | None:
        try:
            async with self._sessionmaker() as session:
                return await store.load(session, url)
        except Exception as exc:  # the database is down: a download still answers
            log.warning("documents.store_unreadable", error=type(exc).__name__)
            return None

    async def _download(self, ref: DocumentRef) -> LoadedDocument:
        started = time.perf_counter()
        outcome = "error"
        try:
            urls = [u for u in (ref.url, ref.backup_url) if u]
            result = await self._fetcher.fetch_first(urls)
            document = await self._extract(ref, result)
            await self._save(document, result)
            outcome = "ok"
            return document
        except DocumentUnavailable as exc:
            log.warning("documents.unavailable", reason=exc.reason, url=ref.url)
            raise
        finally:
            DOCUMENT_FETCH.labels(outcome=outcome).observe(time.perf_counter() - started)

    async def _extract(self, ref: DocumentRef, result: FetchResult) -> LoadedDocument:
        try:
            extracted = await self._extractor.extract(result.content, result.kind)
        except DocumentUnavailable as exc:
            exc.url = exc.url or ref.url
            DOCUMENT_UNAVAILABLE.labels(reason=exc.reason).inc()
            raise
        return LoadedDocument(
            url=ref.url,
            final_url=result.final_url,
            title=extracted.title or ref.title or "",
            kind=result.kind,
            version=_version(result.content),
            etag=result.etag,
            last_modified=result.last_modified,
            checked_at=time.time(),
            pages=tuple(LoadedPage(p.number, p.heading, p.text) for p in extracted.pages),
            extraction=EXTRACTION,
        )

    async def _save(self, document: LoadedDocument, result: FetchResult) -> None:
        try:
            async with self._sessionmaker() as session, session.begin():
                await store.save(session, document, len(result.content), result.content_type)
        except Exception as exc:  # keep answering from the cache; the next miss fetches again
            log.warning("documents.store_failed", error=type(exc).__name__, url=document.url)

    def _revalidate_later(self, ref: DocumentRef, document: LoadedDocument) -> None:
        if ref.url in self._revalidating or ref.url in self._revalidate_failures:
            return
        self._revalidating.add(ref.url)
        task = asyncio.create_task(self._revalidate(ref, document))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _revalidate(self, ref: DocumentRef, document: LoadedDocument) -> None:
        # Pages an earlier reader made are read again from the manual itself: no 304 for it
        # (an instance of an older release leaves a newer reader's pages alone).
        current = document.extraction >= EXTRACTION
        try:
            async with contextlib.nullcontext() if current else self._rereads:
                await self._refresh(ref, document, current)
        except Exception as exc:  # the stored copy keeps serving
            log.warning("documents.revalidate_failed", url=ref.url, error=type(exc).__name__)
            if self._settings.fetch_failure_ttl_s > 0:
                self._revalidate_failures[ref.url] = True
        finally:
            self._revalidating.discard(ref.url)

    async def _refresh(self, ref: DocumentRef, document: LoadedDocument, current: bool) -> None:
        result = await self._fetcher.fetch(
            document.final_url,
            etag=document.etag if current else None,
            last_modified=document.last_modified if current else None,
        )
        now = time.time()
        if current and (result.not_modified or _version(result.content) == document.version):
            fresh = replace(document, checked_at=now)
            async with self._sessionmaker() as session, session.begin():
                await store.touch(session, ref.url, _utc(now))
        else:
            fresh = await self._extract(ref, result)
            await self._save(fresh, result)
        await self._cache.set(
            _CACHE, store.url_key(ref.url), fresh.to_json(), self._settings.document_ttl_s
        )
        log.info("documents.revalidated", url=ref.url, changed=fresh.version != document.version)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._vectors is not None:
            await self._vectors.close()
        if self._owned is not None:
            await self._owned.aclose()
            self._extractor.close()


def _index_bytes(index: PageIndex) -> int:
    return index.nbytes


def _page_text(page: LoadedPage) -> str:
    return (
        f"{page.heading}\n{page.text}"
        if page.heading and page.heading not in page.text
        else page.text
    )


def _version(content: bytes) -> str:
    """A manual's version as this release reads it: its bytes and the reader's version, so
    pages read anew by a newer reader key their own index, vectors and cached answers."""
    return hashlib.sha256(b"%d\n" % EXTRACTION + content).hexdigest()


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)
