"""Sentence vectors per document version: computed once, stored for every instance, waited for
briefly, finished in the background, and never a reason for an answer to fail."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Sequence

import numpy as np
import pytest
from sqlalchemy import func, select

from hsc_jit.catalog.models import StoredVectors
from hsc_jit.config import Settings
from hsc_jit.documents import store
from hsc_jit.documents.store import LoadedDocument, LoadedPage
from hsc_jit.documents.vectors import DocumentVectors
from hsc_jit.fetch.pages import EXTRACTION
from hsc_jit.retrieve.embed import MODEL_ID, SentenceEmbedder
from hsc_jit.retrieve.rank import PageIndex
from tests.unit.test_rank_pages import MANUAL
from tests.utils.db import migrated

MODEL = MODEL_ID


@pytest.fixture(scope="module")
def index() -> PageIndex:
    return PageIndex.build(MANUAL, title="TR-9 Owner's Manual")


class CountingEmbedder:
    """The real embedder, counting documents embedded; ``gate`` holds them back when set."""

    def __init__(self, real: SentenceEmbedder, gate: threading.Event | None = None) -> None:
        self.real = real
        self.gate = gate
        self.documents = 0
        self.niceness: list[tuple[int, int]] = []  # (texts, the embedding thread's nice value)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        self.niceness.append((len(texts), nice))
        if len(texts) > 1:
            self.documents += 1
            if self.gate is not None:
                self.gate.wait(10)
        return self.real.embed(texts)


def _never() -> SentenceEmbedder:
    raise AssertionError("stored vectors must not be computed again")


def _document(version: str) -> LoadedDocument:
    return LoadedDocument(
        url="http://127.0.0.1/manual.pdf",
        final_url="http://127.0.0.1/manual.pdf",
        title="TR-9",
        kind="pdf",
        version=version,
        etag=None,
        last_modified=None,
        checked_at=0.0,
        pages=(LoadedPage(1, None, "Power. Turn it on."),),
        extraction=EXTRACTION,
    )


async def test_vectors_round_trip_and_belong_to_their_sentences(settings: Settings) -> None:
    vectors = np.random.default_rng(1).standard_normal((4, 384)).astype(np.float32)
    async with migrated(settings) as (_engine, sessionmaker):
        async with sessionmaker() as session, session.begin():
            await store.save_vectors(session, "v1", MODEL, "fp", vectors)
        async with sessionmaker() as session, session.begin():  # replacing keeps one row
            await store.save_vectors(session, "v1", MODEL, "fp", vectors)
        async with sessionmaker() as session:
            loaded = await store.load_vectors(session, "v1", MODEL, "fp")
            assert await store.load_vectors(session, "v1", MODEL, "other sentences") is None
            assert await store.load_vectors(session, "v2", MODEL, "fp") is None
            assert await session.scalar(select(func.count()).select_from(StoredVectors)) == 1
    assert loaded is not None and loaded.dtype == np.float32
    np.testing.assert_allclose(loaded, vectors, atol=2e-3)  # stored as float16


async def test_a_changed_manual_drops_the_old_versions_vectors(settings: Settings) -> None:
    vectors = np.ones((1, 384), dtype=np.float32)
    async with migrated(settings) as (_engine, sessionmaker):
        async with sessionmaker() as session, session.begin():
            await store.save(session, _document("v1"), 100, "application/pdf")
            await store.save_vectors(session, "v1", MODEL, "fp", vectors)
        async with sessionmaker() as session, session.begin():
            await store.save(session, _document("v2"), 100, "application/pdf")
        async with sessionmaker() as session:
            assert await store.load_vectors(session, "v1", MODEL, "fp") is None


async def test_computed_once_then_read_by_another_instance(
    settings: Settings, index: PageIndex, embedder: SentenceEmbedder
) -> None:
    counting = CountingEmbedder(embedder)
    kept: list[PageIndex] = []
    async with migrated(settings) as (_engine, sessionmaker):
        first = DocumentVectors(sessionmaker, 30.0, lambda: counting)
        attached = await asyncio.gather(*(first.attach("v1", index, kept.append) for _ in range(5)))
        await first.close()
        assert all(item.has_vectors for item in attached)
        assert counting.documents == 1  # five questions, one embedding run
        assert len(kept) == 1

        restarted = DocumentVectors(sessionmaker, 30.0, _never)
        from_store = await restarted.attach("v1", index, kept.append)
        await restarted.close()
    assert from_store.has_vectors
    question = "can I hook it up to my laptop?"
    vector = embedder.embed([question])[0]
    assert from_store.rank(question, query_vector=vector)[0].page == 3


async def test_a_slow_build_answers_by_words_now_and_by_meaning_later(
    settings: Settings, index: PageIndex, embedder: SentenceEmbedder
) -> None:
    gate = threading.Event()
    counting = CountingEmbedder(embedder, gate)
    arrived = asyncio.Event()
    kept: list[PageIndex] = []

    def on_ready(ready: PageIndex) -> None:
        kept.append(ready)
        arrived.set()

    async with migrated(settings) as (_engine, sessionmaker):
        vectors = DocumentVectors(sessionmaker, 0.05, lambda: counting)
        now = await vectors.attach("v1", index, on_ready)
        assert now is index and not now.has_vectors
        gate.set()
        await asyncio.wait_for(arrived.wait(), 30)
        await vectors.close()
    assert kept[0].has_vectors and counting.documents == 1


async def test_a_failing_model_leaves_ranking_by_words(
    settings: Settings, index: PageIndex
) -> None:
    attempts = 0

    def broken() -> SentenceEmbedder:
        nonlocal attempts
        attempts += 1
        raise RuntimeError("no model here")

    async with migrated(settings) as (_engine, sessionmaker):
        vectors = DocumentVectors(sessionmaker, 30.0, broken)
        assert await vectors.attach("v1", index, lambda _: None) is index
        assert await vectors.attach("v1", index, lambda _: None) is index
        assert await vectors.embed_question("anything") is None
        await vectors.close()
    assert attempts == 2  # the document is not retried at once; the question tried once


async def test_manuals_are_embedded_at_low_priority_and_questions_are_not(
    settings: Settings, index: PageIndex, embedder: SentenceEmbedder
) -> None:
    counting = CountingEmbedder(embedder)
    async with migrated(settings) as (_engine, sessionmaker):
        vectors = DocumentVectors(sessionmaker, 30.0, lambda: counting)
        await vectors.attach("v1", index, lambda _: None)
        await vectors.embed_question("where do the headphones go?")
        await vectors.close()
    # Typing predictions share the CPU with a manual being embedded; a question is waited for.
    assert counting.niceness == [(len(index.sentences), 10), (1, 0)]


async def test_questions_are_embedded_once(settings: Settings, embedder: SentenceEmbedder) -> None:
    async with migrated(settings) as (_engine, sessionmaker):
        vectors = DocumentVectors(sessionmaker, 1.0, lambda: embedder)
        first = await vectors.embed_question("where do the headphones go?")
        again = await vectors.embed_question("where do the headphones go?")
        await vectors.close()
    assert first is not None and again is first
    np.testing.assert_allclose(first, embedder.embed(["where do the headphones go?"])[0])


async def test_a_manual_still_embedding_gives_its_best_sentences_closeness_now(
    settings: Settings, embedder: SentenceEmbedder
) -> None:
    # The few sentences a question needs are embedded at once, off the manual's queue.
    sentences = [
        "The module turns itself off after four hours without use.",
        "Connect headphones to the PHONES jack.",
    ]
    async with migrated(settings) as (_engine, sessionmaker):
        vectors = DocumentVectors(sessionmaker, 0.05, lambda: embedder)
        try:
            question = await vectors.embed_question("why does it keep switching off?")
            assert question is not None
            closeness = await asyncio.wait_for(vectors.closeness(sentences, question), 10)
        finally:
            await vectors.close()
    assert set(closeness) == set(sentences)
    assert closeness[sentences[0]] > closeness[sentences[1]]
