"""A question's evidence: the best pages of a product's manuals, ranked together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hsc_jit.answer.base import Evidence
from hsc_jit.answer.spelling import mend
from hsc_jit.answer.values import asked_values, states_value
from hsc_jit.retrieve.rank import PageIndex, RankedPage

# Pages looked through for one that states the value asked for ("how heavy"), when none of the
# best pages does: the weight is often on a spec page that shares no word with the question.
_VALUE_SEARCH_PAGES = 10


@dataclass(frozen=True, slots=True)
class Source:
    """One manual: its page ranker, its page texts by number, and how it is cited."""

    index: PageIndex
    pages: Mapping[int, str]
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class RankedEvidence:
    evidence: Evidence
    ranked: RankedPage


def mended_question(sources: Sequence[Source], question: str) -> str:
    """``question`` as the manuals are searched for it: its slips mended from their words."""
    return mend(question, [source.index.word_counts for source in sources])


def rank_evidence(
    sources: Sequence[Source], question: str, top: int, vector: np.ndarray | None
) -> list[RankedEvidence]:
    """The ``top`` pages of all the manuals for ``question``, best first.

    A question that asks for a kind of value (a weight, a size) none of them states gets one
    more page: the best ranked further down that states it.
    """
    values = asked_values(question)
    depth = max(top, _VALUE_SEARCH_PAGES) if values else top
    found: list[RankedEvidence] = []
    for source in sources:
        for ranked in source.index.rank(question, k=depth, query_vector=vector):
            text = source.pages.get(ranked.page)
            if text is None:
                continue
            evidence = Evidence(
                page=ranked.page,
                text=text,
                score=float(ranked.score),
                passages=tuple(ranked.passages),
                similarity=ranked.similarity,
                title=source.title,
                url=source.url,
            )
            found.append(RankedEvidence(evidence, ranked))
    found.sort(key=lambda r: r.evidence.score, reverse=True)
    best = found[:top]
    if values and not any(states_value(values, r.evidence.text) for r in best):
        stating = next((r for r in found[top:] if states_value(values, r.evidence.text)), None)
        if stating is None:
            stating = _first_stating(sources, values)
        if stating is not None:
            best.append(stating)
    return best


def _first_stating(sources: Sequence[Source], values: frozenset[str]) -> RankedEvidence | None:
    """The first page that states a value of ``values``, though the ranker found it unrelated:
    a spec page's "Weight 190 g" shares nothing with "how heavy are they?"."""
    for source in sources:
        for number, text in sorted(source.pages.items()):
            if states_value(values, text):
                evidence = Evidence(number, text, 0.0, title=source.title, url=source.url)
                return RankedEvidence(evidence, RankedPage(number, 0.0, (), matched=0.0))
    return None
