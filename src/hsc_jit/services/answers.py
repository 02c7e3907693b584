"""The query path, entered only by ``AnswerService.answer_stream``.

A question goes from the product in the catalog snapshot to its manuals (``documents/``), their
pages ranked (``retrieve/``) into evidence (``answer/evidence.py``), the ranker's verdict on it
(``answer/ranker.py``), and a streamed answer whose chunks and citations follow the protocol
(``answer/fallback.py``, ``answer/chunking.py``, ``answer/markers.py``). ``answer_stream`` yields
the protocol's messages in order (status, answer_chunk..., context, final_answer) or ends with
one error, for the WebSocket and the NDJSON route alike; the rest of this module is its steps.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import time
import unicodedata
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.answer.base import Accessory, AnswerProvider, AnswerRequest, PriorTurn
from hsc_jit.answer.chunking import spaced
from hsc_jit.answer.evidence import RankedEvidence, Source, mended_question, rank_evidence
from hsc_jit.answer.fallback import FallbackAnswer
from hsc_jit.answer.gloss import english_gloss
from hsc_jit.answer.markers import cited_page
from hsc_jit.answer.ranker import select
from hsc_jit.answer.terms import terms
from hsc_jit.build import build_digest
from hsc_jit.cache.tiered import TieredCache
from hsc_jit.catalog import repository
from hsc_jit.config import Lang, Scenario, Settings
from hsc_jit.documents.service import DocumentService
from hsc_jit.errors import DocumentUnavailable, HscError, ProductNotFound, error_frame
from hsc_jit.observability.metrics import (
    ANSWER_FIRST_CHUNK,
    ANSWER_GENERATION,
    UNANSWERED_QUESTIONS,
)
from hsc_jit.services.conversations import ConversationService, OpenTurn
from hsc_jit.services.snapshot import CatalogHolder, SnapshotProduct
from hsc_jit.text.language import language_of
from hsc_jit.text.messages import error_message, say
from hsc_jit.text.sentences import split_sentences

log = structlog.get_logger(__name__)
Message = dict[str, Any]
_CACHE = "answers"
# Sentences of a manual still being embedded that a question embeds at once: those sharing the
# most words with it (about 10 ms each on one core).
_COLD_SENTENCES = 32
# While a manual is still downloading, the customer hears so this often.
_STILL_FETCHING_S = 4.0
_MIN_PROVIDER_S = 1.0


async def _waiting(
    loading: asyncio.Future[Any], deadline: float, lang: Lang
) -> AsyncIterator[Message]:
    """A "still fetching" status every few seconds until ``loading`` is done; past the
    deadline, an error, while the download goes on for the next question."""
    try:
        while not loading.done():
            left = deadline - time.monotonic()
            if left <= 0:
                raise DocumentUnavailable(
                    "timeout",
                    "The manual's server is taking too long to send it. We keep fetching it: "
                    "please ask again in a minute.",
                )
            await asyncio.wait({loading}, timeout=min(_STILL_FETCHING_S, left))
            if not loading.done() and deadline - time.monotonic() > 0:
                yield {"type": "status", "msg": say("still_fetching", lang)}
    finally:
        if not loading.done():  # past the deadline, or the customer left: it goes on alone
            loading.add_done_callback(_retrieved)


def _retrieved(done: asyncio.Future[Any]) -> None:
    """Collect the outcome of a download nobody waits for any more (it is logged where it
    failed), so asyncio does not report it as never retrieved."""
    if not done.cancelled():
        done.exception()


@dataclass(frozen=True, slots=True)
class Question:
    product_id: str
    text: str
    scenario: Scenario = "general"
    image: str | None = None
    seq: int | None = None
    conversation_id: str | None = None
    lang: Lang | None = None  # None: the language the question is written in


@dataclass(slots=True)
class _Answer:
    """The answer's chunks as they went out and who made them; final once they all have."""

    chunks: list[str] = field(default_factory=list)
    provider: str = ""
    cached: bool = False


class AnswerService:
    """The query path: ``answer_stream`` is its one entry point, the rest is its steps."""

    def __init__(
        self,
        settings: Settings,
        holder: CatalogHolder,
        documents: DocumentService,
        cache: TieredCache,
        sessionmaker: async_sessionmaker[AsyncSession],
        provider: AnswerProvider,
        extractive: AnswerProvider,
        conversations: ConversationService,
    ) -> None:
        self._settings = settings
        self._holder = holder
        self._documents = documents
        self._cache = cache
        self._sessionmaker = sessionmaker
        self._provider = provider
        self._extractive = extractive
        self._conversations = conversations
        build_digest()  # read the package's files now, not at the first answer

    async def answer_stream(self, question: Question) -> AsyncIterator[Message]:
        """The protocol's messages for ``question``: status, answer_chunk..., context,
        final_answer; or, when it cannot be answered, a status and one error. Either end
        names the conversation and the answer, stored as a turn before it is sent."""
        turn = await self._conversations.open(
            question.conversation_id, question.product_id, question.text
        )
        lang = language_of(question.text, question.lang)
        try:
            # Ranked, answered, cached and kept for review as it stands alone.
            asked = replace(question, text=turn.question, lang=lang)
            async for message in self._answer(asked, turn, lang):
                yield message
        except Exception as exc:
            error = exc if isinstance(exc, HscError) else HscError(say("internal", "en"))
            if error is not exc:
                # Whatever else is raised (a parser's RecursionError, a bug), the question
                # still ends, in an error the customer is told and a turn that can be rated.
                log.exception("answers.failed", product_id=question.product_id)
            said = error_message(error, lang)
            # v3's client ignores error frames: it reads the same words from a status first.
            yield {"type": "status", "msg": said}
            conversation_id = await self._conversations.record(turn, said, [], False, None)
            yield {
                **error_frame(error.code, said, question.seq),
                "conversation_id": conversation_id,
                "answer_id": turn.answer_id,
            }

    async def _answer(
        self, question: Question, turn: OpenTurn, lang: Lang
    ) -> AsyncIterator[Message]:
        started = time.perf_counter()
        deadline = time.monotonic() + self._settings.answer_deadline_s
        product = self._product(question.product_id)
        yield {"type": "status", "msg": say("reading_manual", lang)}
        loading = asyncio.ensure_future(self._evidence(product, question.text))
        async for status in _waiting(loading, deadline, lang):
            yield status
        evidence, versions, asked, glossed = loading.result()
        request = _request(replace(question, text=asked), product, evidence, turn.history)
        # A model reads the customer's own words, not the gloss they were searched by.
        request = replace(request, lang=lang, typed=question.text if glossed else "")
        yield _found_status(request)
        answer = _Answer()
        # aclosing, here and in _chunks: a client that leaves closes the provider's stream now,
        # not at GC.
        async with contextlib.aclosing(
            self._chunks(question, request, versions, started, answer)
        ) as chunks:
            async for chunk in chunks:
                yield {"type": "answer_chunk", "content": chunk}
        if not request.covered:
            await self._record_unanswered(question)
        sources = _sources(evidence, _cited_pages(answer.chunks))
        yield _context(question, product, sources)
        ANSWER_GENERATION.labels(provider=answer.provider).observe(time.perf_counter() - started)
        conversation_id = await self._conversations.record(
            turn, "".join(answer.chunks), sources, request.covered, answer.provider
        )
        yield {
            "type": "final_answer",
            "content": "",
            "sources": sources,
            "provider": answer.provider,
            "cached": answer.cached,
            "found": request.covered,
            "seq": question.seq,
            "conversation_id": conversation_id,
            "answer_id": turn.answer_id,
        }

    def _product(self, product_id: str) -> SnapshotProduct:
        """The product from the catalog snapshot, if it is there and names a manual."""
        snapshot = self._holder.current
        product = snapshot.get(product_id) if snapshot else None
        if product is None:
            raise ProductNotFound(product_id)
        if not product.documents:
            raise DocumentUnavailable(
                "no_document", f"We have no official manual on file for {product.name} yet."
            )
        return product

    async def _evidence(
        self, product: SnapshotProduct, question: str
    ) -> tuple[list[RankedEvidence], list[str], str, bool]:
        """The best pages of the product's manuals, the versions that ranked them, the
        question as they were ranked for (its slips mended from the manuals' words), and
        whether that is a Hebrew question's English gloss."""
        ready, failed = await self._documents.ready_documents(product.documents)
        if not ready:
            raise failed[0]
        sources = [
            Source(
                index=item.index,
                pages={p.number: p.text for p in item.document.pages},
                title=item.document.title,
                url=item.document.final_url,
            )
            for item in ready
        ]
        # A Hebrew question is searched, and answered from, in the manual's English words.
        gloss = english_gloss(question)
        asked = mended_question(sources, gloss or question)
        semantic = all(r.index.has_vectors for r in ready)
        vector = await self._documents.embed_question(asked)
        # Scores by words alone and by words and meaning don't compare: all documents or none.
        top = self._settings.answer_top_pages
        evidence = rank_evidence(sources, asked, top, vector if semantic else None)
        if vector is not None and not semantic:
            # A manual still being embedded: its best pages by words are embedded first, so
            # the answer is chosen by meaning too without waiting for the whole manual.
            evidence = await self._with_closeness(asked, evidence, vector)
        # An answer ranked by words is not served once the manual's vectors are ready.
        versions = [r.document.version for r in ready] + (["semantic"] if semantic else [])
        return evidence, versions, asked, bool(gloss)

    async def _chunks(
        self,
        question: Question,
        request: AnswerRequest,
        versions: list[str],
        started: float,
        answer: _Answer,
    ) -> AsyncGenerator[str, None]:
        """The answer's chunks, from the cache or from the provider (then cached)."""
        key = _cache_key(question, _made_by(self._settings, self._provider.name), versions)
        # An image changes the question, and images are too big to key on; a model also reads
        # the conversation so far, which another conversation asking the same words has not had.
        model_reads_history = bool(request.history) and self._provider.name != self._extractive.name
        cacheable = not question.image and not model_reads_history
        cached = await self._cache.get(_CACHE, key) if cacheable else None
        if cached is not None:
            answer.provider, answer.cached = str(cached["provider"]), True
            answer.chunks.extend(cached["chunks"])
            for chunk in answer.chunks:
                yield chunk
            ANSWER_FIRST_CHUNK.observe(time.perf_counter() - started)
            return
        # A slow provider answers within what is left of the question's deadline, or the
        # extractive answer does.
        left = self._settings.answer_deadline_s - (time.perf_counter() - started)
        timeout = max(_MIN_PROVIDER_S, min(self._settings.answer_timeout_s, left))
        run = FallbackAnswer(self._provider, self._extractive, request, timeout)
        async with contextlib.aclosing(run):
            async for raw in run:
                if not answer.chunks:
                    ANSWER_FIRST_CHUNK.observe(time.perf_counter() - started)
                chunk = spaced(raw, first=not answer.chunks)
                answer.chunks.append(chunk)
                yield chunk
        answer.provider = run.provider
        if run.failure is None and cacheable:
            value = {"chunks": answer.chunks, "provider": answer.provider}
            await self._cache.set(_CACHE, key, value, self._settings.answer_cache_ttl_s)

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

    async def _record_unanswered(self, question: Question) -> None:
        UNANSWERED_QUESTIONS.inc()
        log.info("answer.not_covered", product_id=question.product_id)
        try:
            async with self._sessionmaker() as session, session.begin():
                await repository.record_unanswered(
                    session, question.product_id, question.text, question.scenario
                )
        # The list is for review: losing one entry must not fail the answer.
        except Exception as exc:
            log.warning("answer.unanswered_not_recorded", error=type(exc).__name__)


def _request(
    question: Question,
    product: SnapshotProduct,
    evidence: list[RankedEvidence],
    history: Sequence[PriorTurn],
) -> AnswerRequest:
    """What the provider is given, with the ranker's verdict on whether the manual covers it."""
    request = AnswerRequest(
        question=question.text,
        scenario=question.scenario,
        product_name=product.name,
        brand_name=str(product.brand.get("name", "")),
        product_category=product.view["product"].get("category"),
        evidence=[e.evidence for e in evidence],
        accessories=_accessories(product),
        image=question.image,
        history=history,
    )
    selection = select(request, max((e.ranked.matched for e in evidence), default=0.0))
    return replace(request, covered=bool(evidence) and selection.covered, selection=selection)


def _found_status(request: AnswerRequest) -> Message:
    if request.covered:
        pages = ", ".join(str(e.page) for e in request.evidence)
        return {"type": "status", "msg": say("found_pages", request.lang, pages=pages)}
    return {"type": "status", "msg": say("checking_coverage", request.lang)}


def _context(
    question: Question, product: SnapshotProduct, sources: list[dict[str, Any]]
) -> Message:
    return {
        "type": "context",
        "data": {
            "brand": product.brand,
            "related_items": product.related_items,
            "scenario": question.scenario,
            "sources": sources,
        },
    }


def _cited_pages(chunks: list[str]) -> list[int]:
    return [page for chunk in chunks if (page := cited_page(chunk)) is not None]


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


def _normalise_question(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip(" ?!.")


def _made_by(settings: Settings, provider: str) -> str:
    """What makes an answer besides the question and the manuals, as a digest (the key names
    no server or path): the build (code, ranker, lexicons; instances of two builds share the
    cache while a deployment rolls), the provider, its server and model, and the pages and
    prompt size it is given."""
    model = {
        "openai": (settings.openai_base_url, settings.openai_model),
        "gemini": (settings.gemini_base_url, settings.gemini_model),
        "llamacpp": (settings.llamacpp_model_path, settings.llamacpp_n_ctx),
    }.get(provider, ())
    made = (build_digest(), *model, settings.answer_top_pages, settings.prompt_token_budget)
    return f"{provider}:{hashlib.sha256(repr(made).encode()).hexdigest()[:16]}"


def _cache_key(question: Question, provider: str, versions: list[str]) -> str:
    parts = [
        question.product_id,
        question.scenario,
        question.lang or "en",
        provider,
        ",".join(sorted(versions)),
        _normalise_question(question.text),
    ]
    return "|".join(parts)
