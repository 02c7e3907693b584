"""Predictions cached as the bytes sent, and a cached value of another form recomputed."""

from __future__ import annotations

import orjson
from sqlalchemy.ext.asyncio import async_sessionmaker

from hsc_jit.cache.memory import MemoryCache
from hsc_jit.cache.tiered import TieredCache
from hsc_jit.catalog.models import Brand, Product
from hsc_jit.catalog.repository import ProductContext
from hsc_jit.services.prediction import PredictionService
from hsc_jit.services.snapshot import CatalogHolder, build_snapshot


def service(**more: str) -> tuple[PredictionService, TieredCache]:
    brand = Brand(id="acme", name="Acme", hq="", extra={})
    names = {"acme-p10": "Acme P-10 Digital Piano", "acme-s61": "Acme S-61 Synthesizer", **more}
    contexts = {
        pid: ProductContext(Product(id=pid, brand_id="acme", name=name, specs={}, extra={}), brand)
        for pid, name in names.items()
    }
    holder = CatalogHolder(async_sessionmaker())
    holder.current = build_snapshot(1, contexts)
    cache = TieredCache(MemoryCache(100), None, default_ttl_s=60)
    return PredictionService(holder, cache, ttl_s=60, default_limit=10), cache


# The cache key of "acme s-61" for catalog version 1, no limit, not ended, any brand.
KEY = "1:0:0::acme s 61"


async def test_the_bytes_sent_are_what_is_cached() -> None:
    predictions, cache = service()
    sent = await predictions.predict_json("acme s-61")
    assert orjson.loads(sent)[0]["product"]["id"] == "acme-s61"
    stored = await cache.get_bytes("predict", KEY)
    assert stored is not None
    best, items = stored.split(b" ", 1)
    assert items == sent.encode() and int(best) == orjson.loads(sent)[0]["confidence"]
    assert await predictions.predict_json("acme s-61") == sent


async def test_a_cached_value_of_another_form_is_computed_again() -> None:
    predictions, cache = service()
    expected = await predictions.predict_json("acme s-61")
    # What the release before the last wrote under this name: a JSON value.
    await cache.set("predict", KEY, [expected, 100])
    assert (await cache.get_bytes("predict", KEY) or b"").startswith(b"[")
    assert await predictions.predict_json("acme s-61") == expected
    assert (await cache.get_bytes("predict", KEY) or b"").startswith(b"100 [")


async def test_a_word_ended_by_punctuation_is_not_served_as_the_prefix() -> None:
    # "acme p" may go on to "piano"; "acme p-" has ended the word "p". Both normalise to the
    # same words, and were once one cache entry: whichever came first answered both.
    pedal = {"acme-px1": "Acme PX-1 Pedal"}
    typed_on, _ = service(**pedal)
    await typed_on.predict_json("acme p")
    alone, _ = service(**pedal)
    assert await typed_on.predict_json("acme p-") == await alone.predict_json("acme p-")
    assert await alone.predict_json("acme p-") != await alone.predict_json("acme p")
