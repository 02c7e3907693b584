"""The product index: built once from the catalog, searched on every keystroke."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import zip_longest
from typing import NamedTuple

import numpy as np

from hsc_jit.predict.matcher import Lookups, Scores, score
from hsc_jit.predict.normalize import normalize
from hsc_jit.predict.tables import Bools, Tables, build_tables

# Candidates ranked beyond the requested limit, so each result's confidence can compare it
# with the best product of another name.
_EXTRA = 8
# Logistic confidence from the product's lead over the best product of another name (relative
# to its own score) and how much of its name was typed. Fitted on cases made with another seed
# than the dev set's, and on every keystroke of their exact names, over the real and the
# synthetic 100k catalogs; bench/predict.py reports how often each band is right.
_BIAS = -4.2
_LEAD = 16.5
_COVERAGE = 5.4


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    id: str
    name: str
    brand_id: str
    brand_name: str
    category: str | None = None
    sku: str | None = None
    family: str | None = None


class Match(NamedTuple):
    # A tuple, not a frozen dataclass: a search makes ten, and a tuple is three times quicker
    # to build.
    product_id: str
    score: float  # ranking score, comparable within one search only
    confidence: int  # 0-100: how often a top result with this confidence is the product meant
    match_text: str  # the product name that matched


def _confidence(lead: float, coverage: float) -> int:
    logit = _BIAS + _LEAD * lead + _COVERAGE * coverage
    # Far behind the leader the lead is hugely negative; exp() must not overflow.
    return round(100.0 / (1.0 + math.exp(-max(logit, -50.0))))


class ProductIndex:
    """Immutable after ``build`` but for its memo of typed atoms (``Lookups``); safe to search
    from several threads."""

    __slots__ = ("_brands", "_entries", "_lookups", "_name_keys", "_sample_order", "_tie_breaks")

    def __init__(self, entries: tuple[CatalogEntry, ...], tables: Tables) -> None:
        self._entries = entries
        self._lookups = Lookups(tables)
        self._name_keys = tuple(normalize(entry.name) for entry in entries)
        # Equal scores: the shorter name first, then the id.
        self._tie_breaks = tuple((len(entry.name), entry.id) for entry in entries)
        self._sample_order = _spread_over_brands(entries)
        brand_ids = np.array([entry.brand_id for entry in entries], dtype=object)
        self._brands = {brand: brand_ids == brand for brand in dict.fromkeys(brand_ids)}

    @classmethod
    def build(cls, entries: Iterable[CatalogEntry]) -> ProductIndex:
        """Index the entries; a repeated id keeps its first entry."""
        unique: dict[str, CatalogEntry] = {}
        for entry in entries:
            unique.setdefault(entry.id, entry)
        kept = tuple(unique.values())
        return cls(kept, build_tables(kept))

    def __len__(self) -> int:
        return len(self._entries)

    def has_brand(self, brand_id: str) -> bool:
        return brand_id in self._brands

    def sample(self, limit: int = 50, brand: str | None = None) -> list[str]:
        """Product ids to show before anything is typed: brands in turn, biggest brand first."""
        order = self._sample_order
        if brand is not None:
            order = [p for p in order if self._entries[p].brand_id == brand]
        return [self._entries[position].id for position in order[: max(limit, 0)]]

    def search(self, text: str, limit: int = 10, brand: str | None = None) -> list[Match]:
        """The products ``text`` most likely means, best first; only ``brand``'s if given."""
        if limit <= 0 or not text.strip():
            return []
        allowed: Bools | None = None
        if brand is not None:
            allowed = self._brands.get(brand)
            if allowed is None:
                return []
        scores = score(self._lookups, text, allowed)
        if scores is None:
            return []
        ranked = self._rank(scores, limit + _EXTRA)
        names = self._name_keys
        leader = names[ranked[0][1]]
        # A product's rival is the best product of another name: the leader for every name
        # but the leader's, whose rival is the first other name down the list.
        runner_up = next((c[0] for c in ranked if names[c[1]] != leader), 0.0)
        matches = []
        for own, product, coverage in ranked[:limit]:
            rival = runner_up if names[product] == leader else ranked[0][0]
            confidence = _confidence((own - rival) / own, coverage)
            entry = self._entries[product]
            matches.append(Match(entry.id, round(own, 4), confidence, entry.name))
        return matches

    def _rank(self, scores: Scores, count: int) -> list[tuple[float, int, float]]:
        """``(score, product, coverage)`` of the best ``count`` candidates, best first.

        In plain lists: reading numpy arrays an element at a time costs more than the search.
        """
        order = np.arange(len(scores.products))
        if len(order) > count:
            order = np.argpartition(-scores.rank, count - 1)[:count]
        candidates = zip(
            scores.rank[order].tolist(),
            scores.products[order].tolist(),
            scores.coverage[order].tolist(),
            strict=True,
        )
        tie_breaks = self._tie_breaks
        return sorted(candidates, key=lambda c: (-c[0], tie_breaks[c[1]]))


def _spread_over_brands(entries: tuple[CatalogEntry, ...]) -> list[int]:
    """Every position, one brand after another (bigger brands first), names in order per brand."""
    by_brand: dict[str, list[int]] = defaultdict(list)
    for position, entry in enumerate(entries):
        by_brand[entry.brand_id].append(position)
    brands = sorted(
        by_brand.values(), key=lambda members: (-len(members), entries[members[0]].brand_id)
    )
    queues = [sorted(members, key=lambda p: (entries[p].name, entries[p].id)) for members in brands]
    return [position for turn in zip_longest(*queues) for position in turn if position is not None]
