"""Sentence vectors across instances, on the real PostgreSQL and Redis: one embedding run, one
stored set of vectors, every instance ranking by meaning."""

from __future__ import annotations

import asyncio
import uuid

import numpy as np
import pytest

from hsc_jit.cache.factory import build_cache
from hsc_jit.config import Settings
from hsc_jit.documents import store
from hsc_jit.documents.vectors import DocumentVectors
from hsc_jit.retrieve.embed import MODEL_ID, SentenceEmbedder
from hsc_jit.retrieve.rank import PageIndex
from tests.integration._services import redis_url
from tests.unit.test_document_vectors import CountingEmbedder
from tests.unit.test_rank_pages import MANUAL
from tests.utils.db import migrated

pytestmark = pytest.mark.integration


async def test_two_instances_embed_a_manual_once(
    pg_settings: Settings, embedder: SentenceEmbedder
) -> None:
    settings = pg_settings.model_copy(update={"redis_url": redis_url()})
    counting = CountingEmbedder(embedder)
    index = PageIndex.build(MANUAL, title="TR-9 Owner's Manual")
    namespace = f"test-{uuid.uuid4().hex[:8]}"  # each instance has its own cache, Redis shared
    caches = [build_cache(settings, namespace) for _ in range(2)]
    async with migrated(settings) as (_engine, sessionmaker):
        instances = [
            DocumentVectors(sessionmaker, 60.0, lambda: counting, cache.lock) for cache in caches
        ]
        attached = await asyncio.gather(
            *(instance.attach("v1", index, lambda _: None) for instance in instances)
        )
        for instance in instances:
            await instance.close()
        async with sessionmaker() as session:
            stored = await store.load_vectors(session, "v1", MODEL_ID, index.fingerprint)
    for cache in caches:
        await cache.close()
    assert all(item.has_vectors for item in attached)
    assert counting.documents == 1  # the second instance waited and read the stored vectors
    assert stored is not None and stored.shape == (len(index.sentences), 384)
    np.testing.assert_allclose(stored, embedder.embed(index.sentences), atol=2e-3)
