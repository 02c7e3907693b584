"""Sentence vectors for ranking by meaning: once per document version, shared through the database.

Embedding a manual costs about 10 ms of one core per sentence, so it happens once per document
version on one worker thread, under a cross-instance lock, and the vectors are stored for every
instance and restart. A
question waits up to ``HSC_SEMANTIC_WAIT_S`` for them; a longer build carries on in the
background while questions rank pages by words and embed only the best pages' sentences they
need (``closeness``), and its result replaces the index when done. Questions are embedded
on demand (a few milliseconds) and remembered.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, nullcontext

import numpy as np
import structlog
from cachetools import LRUCache, TTLCache
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hsc_jit.documents import store
from hsc_jit.observability.metrics import DOCUMENT_VECTORS
from hsc_jit.retrieve.embed import MODEL_ID, Embedder
from hsc_jit.retrieve.rank import PageIndex

log = structlog.get_logger(__name__)
_QUESTIONS = 2048
_RETRY_FAILED_S = 300.0
_NICE = 10  # background work: the event loop and question embeddings come first
_LOCK_S = 600.0  # outlives the longest manual's embedding; frees the lock if its holder dies
Lock = Callable[[str, float], AbstractAsyncContextManager[None]]


def _lower_priority() -> None:
    """Nice this thread (on Linux a thread id names just the thread); best effort elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _NICE)


class DocumentVectors:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        wait_s: float,
        load_embedder: Callable[[], Embedder],
        lock: Lock | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._wait_s = wait_s
        self._load_embedder = load_embedder
        self._lock = lock
        self._embedder: Embedder | None = None
        self._embedder_lock = threading.Lock()
        # One document at a time, at low CPU priority: embedding a manual must not slow typing.
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="embed", initializer=_lower_priority
        )
        self._building: dict[str, asyncio.Future[PageIndex]] = {}
        self._questions: LRUCache[str, np.ndarray] = LRUCache(maxsize=_QUESTIONS)
        self._failed: TTLCache[str, bool] = TTLCache(maxsize=1024, ttl=_RETRY_FAILED_S)

    async def attach(
        self,
        version: str,
        index: PageIndex,
        on_ready: Callable[[PageIndex], None],
        wait_s: float | None = None,
    ) -> PageIndex:
        """``index`` with vectors when they are ready within the wait, else ``index`` as it is.

        ``on_ready`` receives the index with vectors whenever they arrive, also after the wait.
        """
        if version in self._failed:
            return index
        building = self._building.get(version)
        if building is None:
            building = asyncio.ensure_future(self._with_vectors(version, index))
            self._building[version] = building

            def finished(done: asyncio.Future[PageIndex]) -> None:
                self._building.pop(version, None)
                if not done.cancelled() and done.result().has_vectors:
                    on_ready(done.result())

            building.add_done_callback(finished)
        try:
            return await asyncio.wait_for(
                asyncio.shield(building), self._wait_s if wait_s is None else wait_s
            )
        except TimeoutError:
            return index

    async def embed_question(self, text: str) -> np.ndarray | None:
        """The question's vector, or None when the model cannot run here."""
        vector = self._questions.get(text)
        if vector is None:
            try:
                vector = (await asyncio.to_thread(self._embed, [text]))[0]
            except Exception as exc:  # rank by words alone rather than fail the answer
                log.warning("vectors.question_failed", error=type(exc).__name__)
                return None
            self._questions[text] = vector
        return vector

    async def embed_texts(self, texts: list[str]) -> np.ndarray | None:
        """One unit vector per text, embedded now; None when the model cannot run here."""
        try:
            return await asyncio.to_thread(self._embed, texts)
        except Exception as exc:  # the caller does without meaning
            log.warning("vectors.texts_failed", error=type(exc).__name__)
            return None

    async def closeness(self, sentences: list[str], question: np.ndarray) -> dict[str, float]:
        """Each sentence's cosine to the question, embedded now; {} when the model cannot run.

        For the few pages a question needs while the whole manual is still being embedded.
        """
        vectors = await self.embed_texts(sentences)
        if vectors is None:  # rank and answer by words alone rather than fail the answer
            return {}
        cosines = vectors @ np.asarray(question, dtype=np.float32)
        return {sentence: float(c) for sentence, c in zip(sentences, cosines, strict=True)}

    async def _with_vectors(self, version: str, index: PageIndex) -> PageIndex:
        started = time.perf_counter()
        source = "failed"
        try:
            vectors = await self._stored(version, index)
            source = "stored"
            if vectors is None:
                # Another instance may be embedding it: wait for its lock, then look again.
                async with self._locked(f"vectors:{version}"):
                    vectors = await self._stored(version, index)
                    if vectors is None:
                        vectors = await asyncio.get_running_loop().run_in_executor(
                            self._executor, self._embed, index.sentences
                        )
                        source = "computed"
                        await self._save(version, index, vectors)
            return index.with_vectors(vectors)
        except Exception as exc:  # the lexical index keeps answering; retried later
            source = "failed"
            self._failed[version] = True
            log.warning("vectors.failed", version=version, error=type(exc).__name__)
            return index
        finally:
            elapsed = time.perf_counter() - started
            DOCUMENT_VECTORS.labels(source=source).observe(elapsed)
            log.info("vectors.done", version=version, source=source, seconds=round(elapsed, 3))

    def _locked(self, name: str) -> AbstractAsyncContextManager[None]:
        return nullcontext() if self._lock is None else self._lock(name, _LOCK_S)

    def _embed(self, sentences: list[str]) -> np.ndarray:
        return self._ready_embedder().embed(sentences)

    def _ready_embedder(self) -> Embedder:
        with self._embedder_lock:
            if self._embedder is None:
                self._embedder = self._load_embedder()
            return self._embedder

    async def _stored(self, version: str, index: PageIndex) -> np.ndarray | None:
        try:
            async with self._sessionmaker() as session:
                return await store.load_vectors(session, version, MODEL_ID, index.fingerprint)
        except Exception as exc:  # the database is down: computing them still works
            log.warning("vectors.store_unreadable", error=type(exc).__name__)
            return None

    async def _save(self, version: str, index: PageIndex, vectors: np.ndarray) -> None:
        try:
            async with self._sessionmaker() as session, session.begin():
                await store.save_vectors(session, version, MODEL_ID, index.fingerprint, vectors)
        except Exception as exc:  # another instance stored them first, or the database is down
            log.warning("vectors.store_failed", error=type(exc).__name__)

    async def close(self) -> None:
        for building in list(self._building.values()):
            building.cancel()
        await asyncio.gather(*self._building.values(), return_exceptions=True)
        self._executor.shutdown(wait=False, cancel_futures=True)
