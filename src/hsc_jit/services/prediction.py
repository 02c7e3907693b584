"""Predicting the product from typed text: index search, cached, hydrated from the snapshot."""

from __future__ import annotations

import time
from typing import Any

from hsc_jit.cache.tiered import TieredCache
from hsc_jit.observability.metrics import PREDICTION_LATENCY
from hsc_jit.predict.normalize import normalize
from hsc_jit.services.snapshot import CatalogHolder, CatalogSnapshot

SAMPLE_LIMIT = 50
_CACHE = "predict"


class PredictionService:
    def __init__(
        self, holder: CatalogHolder, cache: TieredCache, ttl_s: int, default_limit: int
    ) -> None:
        self._holder = holder
        self._cache = cache
        self._ttl_s = ttl_s
        self._default_limit = default_limit

    async def predict(self, text: str, limit: int | None = None) -> list[dict[str, Any]]:
        """Best-first prediction items; empty text gives a sample of the catalog."""
        started = time.perf_counter()
        snapshot = self._holder.current
        if snapshot is None:
            return []
        try:
            # A trailing space ends the last word, so "nord sta" (a prefix) is not "nord sta ".
            ended = int(text[-1:].isspace())
            key = f"{snapshot.version}:{limit or 0}:{ended}:{normalize(text)}"
            matches, _hit = await self._cache.get_or_compute(
                _CACHE, key, self._ttl_s, lambda: self._search(snapshot, text, limit)
            )
            return _hydrate(snapshot, matches)
        finally:
            PREDICTION_LATENCY.observe(time.perf_counter() - started)

    async def _search(
        self, snapshot: CatalogSnapshot, text: str, limit: int | None
    ) -> list[list[Any]]:
        if not text.strip():
            return [[pid, 0, ""] for pid in snapshot.index.sample(limit or SAMPLE_LIMIT)]
        return [
            [m.product_id, m.confidence, m.match_text]
            for m in snapshot.index.search(text, limit or self._default_limit)
        ]


def _hydrate(snapshot: CatalogSnapshot, matches: list[list[Any]]) -> list[dict[str, Any]]:
    items = []
    for product_id, confidence, match_text in matches:
        product = snapshot.get(product_id)
        if product is None:
            continue
        items.append(
            {
                **product.view,
                "confidence": confidence,
                "match_text": match_text or product.name,
            }
        )
    return items
