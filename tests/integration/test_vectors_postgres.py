"""Sentence vectors on the real PostgreSQL: stored once, shared by instances that race."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from hsc_jit.config import Settings
from hsc_jit.documents import store
from hsc_jit.documents.vectors import DocumentVectors
from hsc_jit.retrieve.embed import MODEL_ID, SentenceEmbedder
from hsc_jit.retrieve.rank import PageIndex
from tests.unit.test_rank_pages import MANUAL
from tests.utils.db import migrated

pytestmark = pytest.mark.integration


async def test_two_instances_racing_store_one_set_of_vectors(
    pg_settings: Settings, embedder: SentenceEmbedder
) -> None:
    index = PageIndex.build(MANUAL, title="TR-9 Owner's Manual")
    async with migrated(pg_settings) as (_engine, sessionmaker):
        instances = [DocumentVectors(sessionmaker, 60.0, lambda: embedder) for _ in range(2)]
        attached = await asyncio.gather(
            *(instance.attach("v1", index, lambda _: None) for instance in instances)
        )
        for instance in instances:
            await instance.close()
        async with sessionmaker() as session:
            stored = await store.load_vectors(session, "v1", MODEL_ID, index.fingerprint)
    assert all(item.has_vectors for item in attached)  # the one that lost the race still ranks
    assert stored is not None and stored.shape == (len(index.sentences), 384)
    np.testing.assert_allclose(stored, embedder.embed(index.sentences), atol=2e-3)
