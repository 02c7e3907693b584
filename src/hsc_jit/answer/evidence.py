"""A question's evidence: the best pages of a product's manuals, ranked together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hsc_jit.answer.base import Evidence
from hsc_jit.retrieve.rank import PageIndex, RankedPage


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


def rank_evidence(
    sources: Sequence[Source], question: str, top: int, vector: np.ndarray | None
) -> list[RankedEvidence]:
    """The ``top`` pages of all the manuals for ``question``, best first."""
    found: list[RankedEvidence] = []
    for source in sources:
        for ranked in source.index.rank(question, k=top, query_vector=vector):
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
    return found[:top]
