"""The query flow: product, manual pages, ranked evidence, a streamed and cited answer.

``answer_stream`` yields the protocol's messages in order (status, answer_chunk..., context,
final_answer) or ends with one error, for the WebSocket and the NDJSON route alike.
"""

from __future__ import annotations

import contextlib
import re
import time
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.answer.base import Accessory, AnswerProvider, AnswerRequest
from hsc_jit.answer.chunking import spaced
from hsc_jit.answer.evidence import RankedEvidence, Source, rank_evidence
from hsc_jit.answer.fallback import FallbackAnswer
from hsc_jit.answer.ranker import select
from hsc_jit.answer.terms import terms
from hsc_jit.cache.tiered import TieredCache
from hsc_jit.catalog import repository
from hsc_jit.config import Scenario, Settings
from hsc_jit.documents.service import DocumentService, ReadyDocument
from hsc_jit.errors import DocumentUnavailable, HscError, ProductNotFound, error_frame
from hsc_jit.observability.metrics import (
    ANSWER_FIRST_CHUNK,
    ANSWER_GENERATION,
    UNANSWERED_QUESTIONS,
)
from hsc_jit.services.snapshot import CatalogHolder, SnapshotProduct
from hsc_jit.text.sentences import split_sentences

log = structlog.get_logger(__name__)
Message = dict[str, Any]
_CACHE = "answers"
# Sentences of a manual still being embedded that a question embeds at once: those sharing the
# most words with it (about 10 ms each on one core).
_COLD_SENTENCES = 32


@dataclass(frozen=True, slots=True)
class Question:
    product_id: str
    text: str
    scenario: Scenario = "general"
    image: str | None = None
    seq: int | None = None


class AnswerService:
    def __init__(
        self,
        settings: Settings,
        holder: CatalogHolder,
        documents: DocumentService,
        cache: TieredCache,
        sessionmaker: async_sessionmaker[AsyncSession],
        provider: AnswerProvider,
        extractive: AnswerProvider,
    ) -> None:
        self._settings = settings
        self._holder = holder
        self._documents = documents
        self._cache = cache
        self._sessionmaker = sessionmaker
        self._provider = provider
        self._extractive = extractive

    async def answer_stream(self, question: Question) -> AsyncIterator[Message]:
        try:
            async for message in self._answer(question):
                yield message
        except HscError as exc:
            # v3's client ignores error frames: it reads the same words from a status first.
            yield {"type": "status", "msg": exc.message}
            yield error_frame(exc.code, exc.message, question.seq)

    async def _answer(self, question: Question) -> AsyncIterator[Message]:
        started = time.perf_counter()
        snapshot = self._holder.current
        product = snapshot.get(question.product_id) if snapshot else None
        if product is None:
            raise ProductNotFound(question.product_id)
        if not product.documents:
            raise DocumentUnavailable(
                "no_document", f"We have no official manual on file for {product.name} yet."
            )
        yield {"type": "status", "msg": "Reading Official Manual..."}
        ready, failed = await self._documents.ready_documents(product.documents)
        if not ready:
            raise failed[0]
        semantic = bool(ready) and all(r.index.has_vectors for r in ready)
        vector = await self._documents.embed_question(question.text)
        # Scores by words alone and by words and meaning don't compare: all documents or none.
        evidence = _rank(
            ready, question.text, self._settings.answer_top_pages, vector if semantic else None
        )
        if vector is not None and not semantic:
            # A manual still being embedded: its best pages by words are embedded first, so
            # the answer is chosen by meaning too without waiting for the whole manual.
            evidence = await self._with_closeness(question.text, evidence, vector)
        request = AnswerRequest(
            question=question.text,
            scenario=question.scenario,
            product_name=product.name,
            brand_name=str(product.brand.get("name", "")),
            product_category=product.view["product"].get("category"),
            evidence=[e.evidence for e in evidence],
            accessories=_accessories(product),
            image=question.image,
        )
        selection = select(request, max((e.ranked.matched for e in evidence), default=0.0))
        covered = bool(evidence) and selection.covered
        request = replace(request, covered=covered, selection=selection)
        if covered:
            pages = ", ".join(str(e.evidence.page) for e in evidence)
            yield {"type": "status", "msg": f"Found relevant pages: {pages}. Thinking..."}
        else:
            yield {"type": "status", "msg": "Checking what the manual covers..."}
        # An answer ranked by words is not served once the manual's vectors are ready.
        versions = [r.document.version for r in ready] + (["semantic"] if semantic else [])
        key = _cache_key(question, self._provider.name, versions)
        # An image changes the question, and images are too big to key on: never cached.
        cached = None if question.image else await self._cache.get(_CACHE, key)
        if cached is not None:
            chunks, provider_name = list(cached["chunks"]), str(cached["provider"])
            for chunk in chunks:
                yield {"type": "answer_chunk", "content": chunk}
            ANSWER_FIRST_CHUNK.observe(time.perf_counter() - started)
        else:
            chunks = []
            run = FallbackAnswer(
                self._provider, self._extractive, request, self._settings.answer_timeout_s
            )
            # aclosing: a client that leaves closes the provider's stream now, not at GC.
            async with contextlib.aclosing(run):
                async for raw in run:
                    if not chunks:
                        ANSWER_FIRST_CHUNK.observe(time.perf_counter() - started)
                    chunk = spaced(raw, first=not chunks)
                    chunks.append(chunk)
                    yield {"type": "answer_chunk", "content": chunk}
            provider_name = run.provider
            if run.failure is None and not question.image:
                await self._cache.set(
                    _CACHE,
                    key,
                    {"chunks": chunks, "provider": provider_name},
                    self._settings.answer_cache_ttl_s,
                )
        if not covered:
            await self._record_unanswered(question)
        sources = _sources(evidence, _cited_pages(chunks))
        yield {
            "type": "context",
            "data": {
                "brand": product.brand,
                "related_items": product.related_items,
                "scenario": question.scenario,
                "sources": sources,
            },
        }
        ANSWER_GENERATION.labels(provider=provider_name).observe(time.perf_counter() - started)
        yield {
            "type": "final_answer",
            "content": "",
            "sources": sources,
            "provider": provider_name,
            "cached": cached is not None,
            "found": covered,
            "seq": question.seq,
        }

    async def _with_closeness(
        self, question: str, evidence: list[RankedEvidence], vector: np.ndarray
    ) -> list[RankedEvidence]:
        asked = terms(question)
        sentences = sorted(
            dict.fromkeys(s for e in evidence for s in split_sentences(e.evidence.text)),
            key=lambda s: -len(asked & terms(s)),
        )[:_COLD_SENTENCES]
        closeness = await self._documents.closeness(sentences, vector)
        if not closeness:
            return evidence
        return [
            replace(
                e,
                evidence=replace(
                    e.evidence,
                    similarity={
                        s: closeness[s] for s in split_sentences(e.evidence.text) if s in closeness
                    },
                ),
            )
            for e in evidence
        ]

    async def aclose(self) -> None:
        """Close the providers' own HTTP clients."""
        for provider in {id(p): p for p in (self._provider, self._extractive)}.values():
            close = getattr(provider, "aclose", None)
            if close is not None:
                await close()

    async def _record_unanswered(self, question: Question) -> None:
        UNANSWERED_QUESTIONS.inc()
        log.info("answer.not_covered", product_id=question.product_id)
        try:
            async with self._sessionmaker() as session, session.begin():
                await repository.record_unanswered(
                    session, question.product_id, question.text, question.scenario
                )
        except (
            Exception
        ) as exc:  # the list is for review; losing one entry must not fail the answer
            log.warning("answer.unanswered_not_recorded", error=type(exc).__name__)


def _rank(
    ready: list[ReadyDocument], question: str, top: int, vector: np.ndarray | None
) -> list[RankedEvidence]:
    sources = [
        Source(
            index=item.index,
            pages={p.number: p.text for p in item.document.pages},
            title=item.document.title,
            url=item.document.final_url,
        )
        for item in ready
    ]
    return rank_evidence(sources, question, top, vector)


_CITATION = re.compile(r"^\s*\[MANUAL: page (\d+)\]$")


def _cited_pages(chunks: list[str]) -> list[int]:
    return [int(m.group(1)) for chunk in chunks if (m := _CITATION.match(chunk))]


def _sources(evidence: list[RankedEvidence], cited: list[int]) -> list[dict[str, Any]]:
    """The evidence pages the answer cites, in the order it first cites them."""
    by_page = {e.evidence.page: e.evidence for e in evidence}
    return [
        {"page": page, "url": by_page[page].url, "title": by_page[page].title}
        for page in dict.fromkeys(cited)
        if page in by_page
    ]


def _accessories(product: SnapshotProduct) -> list[Accessory]:
    return [
        Accessory(
            id=item["id"],
            name=item["name"],
            category=item.get("category"),
            type=item["type"],
            label=item.get("label"),
        )
        for item in product.related_items
        if item["type"] in ("accessory", "spare_part")
    ]


_SPACE = re.compile(r"\s+")


def normalise_question(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip(" ?!.")


def _cache_key(question: Question, provider: str, versions: list[str]) -> str:
    parts = [
        question.product_id,
        question.scenario,
        provider,
        ",".join(sorted(versions)),
        normalise_question(question.text),
    ]
    return "|".join(parts)
