"""Predicting the product from typed text: index search, cached, hydrated from the snapshot."""

from __future__ import annotations

import time
from typing import Any

import orjson

from hsc_jit.cache.tiered import TieredCache
from hsc_jit.errors import UnknownBrand
from hsc_jit.observability.metrics import PREDICTION_LATENCY
from hsc_jit.predict.normalize import normalize
from hsc_jit.services.searches import Burst, FailedSearches
from hsc_jit.services.snapshot import CatalogHolder, CatalogSnapshot

SAMPLE_LIMIT = 50
# The name /api/admin/cache/purge documents. The value is the items ready to send (``_items``);
# the release before this one stored another form under another name ("predicted"), so pods of
# both sharing the cache during a rolling update never read one another's.
_CACHE = "predict"


class PredictionService:
    def __init__(
        self,
        holder: CatalogHolder,
        cache: TieredCache,
        ttl_s: int,
        default_limit: int,
        failed_searches: FailedSearches | None = None,
    ) -> None:
        self._holder = holder
        self._cache = cache
        self._ttl_s = ttl_s
        self._default_limit = default_limit
        self._failed_searches = failed_searches

    async def predict(
        self, text: str, limit: int | None = None, brand: str | None = None
    ) -> list[dict[str, Any]]:
        """Best-first prediction items, only ``brand``'s products if given; empty text gives a
        sample of the catalog. Raises ``UnknownBrand`` for a brand the catalog lacks."""
        items: list[dict[str, Any]] = orjson.loads(await self.predict_json(text, limit, brand))
        return items

    async def predict_json(
        self,
        text: str,
        limit: int | None = None,
        brand: str | None = None,
        burst: Burst | None = None,
    ) -> str:
        """``predict``'s items as one JSON array, as the socket sends them; ``burst``: the
        socket's typing, for the failed searches.

        The typing hot path: a text typed before (every customer typing the same name) costs
        one cache look-up; a new one a search and items joined from the snapshot's encoded
        views, never built or encoded again.
        """
        started = time.perf_counter()
        snapshot = self._holder.current
        if snapshot is None:
            return "[]"
        if brand is not None and not snapshot.index.has_brand(brand):
            raise UnknownBrand(brand)
        try:
            # A last character that is no letter or digit ends the last word, as the search
            # reads it: "nord sta" (a prefix) is not "nord sta " nor "nord sta-".
            ended = int(not text[-1:].isalnum())
            typed = normalize(text)
            key = f"{snapshot.version}:{limit or 0}:{ended}:{brand or ''}:{typed}"
            # No single flight (get_or_compute): the search never awaits, so two of the same
            # text could only meet across a Redis round trip, and the flight's task costs a
            # sixth of a search.
            found = _read(await self._cache.get_bytes(_CACHE, key))
            if found is None:
                found = self._items(snapshot, text, limit, brand)
                # Cached as bytes, the confidence first: a JSON value holding the items' array
                # would escape its 9 KB on every miss and unescape it on every hit, a tenth of a
                # typing frame's cost.
                await self._cache.set_bytes(_CACHE, key, b"%d %b" % found, self._ttl_s)
            best, items = found
            if self._failed_searches is not None and text.strip():
                self._failed_searches.typed(typed, best, burst)
            return items.decode()
        finally:
            PREDICTION_LATENCY.observe(time.perf_counter() - started)

    def _items(
        self, snapshot: CatalogSnapshot, text: str, limit: int | None, brand: str | None
    ) -> tuple[int, bytes]:
        """The best item's confidence (0: none), and the items as a JSON array."""
        found = [
            (product, confidence, match_text or product.name)
            for product_id, confidence, match_text in self._search(snapshot, text, limit, brand)
            if (product := snapshot.get(product_id)) is not None
        ]
        items = [
            b'%b,"confidence":%d,"match_text":%b}'
            % (product.item_head, confidence, orjson.dumps(match_text))
            for product, confidence, match_text in found
        ]
        return (found[0][1] if found else 0), b"[%b]" % b",".join(items)

    def _search(
        self, snapshot: CatalogSnapshot, text: str, limit: int | None, brand: str | None
    ) -> list[list[Any]]:
        if not text.strip():
            return [[pid, 0, ""] for pid in snapshot.index.sample(limit or SAMPLE_LIMIT, brand)]
        return [
            [m.product_id, m.confidence, m.match_text]
            for m in snapshot.index.search(text, limit or self._default_limit, brand)
        ]


def _read(payload: bytes | None) -> tuple[int, bytes] | None:
    """A cached ``_items`` value; None for a miss, or for a value of another form (another
    release's, met during a rollback), which is then computed again."""
    if payload is None:
        return None
    best, _, items = payload.partition(b" ")
    if not best.isdigit() or not items.startswith(b"["):
        return None
    return int(best), items
