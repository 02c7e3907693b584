"""The default provider: an answer made of the manual's own sentences. No model, no network.

The best few sentences of the top-ranked pages, each followed by its citation, then at most one
relevant accessory and one pro tip. When the pages do not cover the question it says so and
points to the brand's support instead of guessing. Same request, same answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace

from hsc_jit.answer.advice import pick_suggestion, pick_tip
from hsc_jit.answer.base import AnswerRequest, Evidence
from hsc_jit.answer.sentences import clean, sentence_spans, split_sentences
from hsc_jit.answer.terms import terms

MAX_SENTENCES = 4
_MIN_WORDS = 4
_MAX_CHARS = 400
_ENDS_SENTENCE = re.compile(r"[.!?][\"')]*$")
_PAGE_FOOTER = re.compile(r"^page \d+(?: of \d+)?$", re.I)
# Small nudges: a sentence the ranker picked, and pages the ranker put first, win close calls.
_PASSAGE_BONUS = 0.5
_KEEP_SHARE = 0.5
_RANK_BONUS = (0.3, 0.15)


class ExtractiveProvider:
    """Deterministic answers from the evidence alone."""

    name = "extractive"

    async def stream(self, request: AnswerRequest) -> AsyncIterator[str]:
        for chunk in compose_answer(request):
            yield chunk


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence of an evidence page, or a list intro ("To pair:") with its steps."""

    text: str
    page: int
    rank: int  # of the page among the evidence, 0 = best
    first: int  # index of its first sentence in the page
    last: int  # index of its last sentence in the page
    from_passage: bool
    follower: str | None  # the next sentence, when it goes on in the same paragraph

    @property
    def sentences(self) -> int:
        return self.last - self.first + 1


def compose_answer(request: AnswerRequest) -> list[str]:
    """The answer as protocol chunks: sentences, citations, suggestion, pro tip."""
    if not request.covered or not request.evidence:
        return [not_covered_text(request)]
    question = terms(request.question) - product_terms(request)
    chosen = best_sentences(request.evidence, question)
    if not chosen:
        return [not_covered_text(request)]
    chunks: list[str] = []
    for candidate in chosen:
        chunks += [candidate.text, f"[MANUAL: page {candidate.page}]"]
    answer_text = " ".join(c.text for c in chosen)
    suggestion = pick_suggestion(request, question, terms(answer_text))
    if suggestion is not None:
        chunks.append(f"[SUGGESTION: {suggestion}]")
    tip = pick_tip(request, question, {c.text for c in chosen})
    chunks.append(f"[PRO TIP: {tip}]")
    return chunks


def not_covered_text(request: AnswerRequest) -> str:
    product = full_product_name(request)
    support = (
        f"{request.brand_name} support" if request.brand_name else "the manufacturer's support"
    )
    return (
        f"The {product} manual does not cover this question, so I won't guess. "
        f"Please contact {support} for help with it."
    )


def full_product_name(request: AnswerRequest) -> str:
    brand, product = request.brand_name, request.product_name
    if brand and not product.casefold().startswith(brand.casefold()):
        return f"{brand} {product}"
    return product


def product_terms(request: AnswerRequest) -> frozenset[str]:
    """Brand, product and category words: the question names them, but so does every page."""
    return terms(f"{request.brand_name} {request.product_name} {request.product_category or ''}")


def best_sentences(evidence: Sequence[Evidence], question: frozenset[str]) -> list[Candidate]:
    """What answers the question best, ``MAX_SENTENCES`` at most, in page-rank and reading order."""
    candidates = [c for rank, page in enumerate(evidence) for c in _candidates(page, rank)]
    weights = _term_weights(candidates, question)
    scored = [(_matched(c, weights), c) for c in candidates]
    matching = [(matched, c) for matched, c in scored if matched > 0]
    # A covered question the manual words differently still gets the ranker's own pick.
    pool = matching or [(m, c) for m, c in scored if c.from_passage and c.rank == 0]
    pool.sort(key=lambda item: (-(item[0] + _bonus(item[1])), item[1].rank, item[1].first))
    best = max((matched for matched, _ in pool), default=0.0)
    chosen: list[Candidate] = []
    for matched, candidate in pool:
        if chosen and matched < _KEEP_SHARE * best:
            continue  # what matches far worse than the best is noise, not more answer
        if not chosen and candidate.follower and candidate.sentences < MAX_SENTENCES:
            # The best match often states a problem and the next sentence its fix.
            candidate = replace(
                candidate, text=f"{candidate.text} {candidate.follower}", last=candidate.last + 1
            )
        budget = MAX_SENTENCES - sum(c.sentences for c in chosen)
        if candidate.sentences <= budget and not any(_overlap(c, candidate) for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: (c.rank, c.first))


def _overlap(one: Candidate, other: Candidate) -> bool:
    return one.page == other.page and one.first <= other.last and other.first <= one.last


def _candidates(page: Evidence, rank: int) -> list[Candidate]:
    spans = sentence_spans(page.text)
    sentences = [clean(page.text[start:end]) for start, end in spans]
    picked = {s.casefold() for p in page.passages for s in split_sentences(p)}
    found: list[Candidate] = []
    for index, text in enumerate(sentences):
        last = index
        if text.endswith(":"):
            # A list intro ("Pairing for Bluetooth audio:") answers with the steps after it.
            while last + 1 < len(sentences) and last - index < MAX_SENTENCES - 1:
                if not _ENDS_SENTENCE.search(sentences[last + 1]):
                    break  # the list ended at a heading or a page footer
                last += 1
            if last == index:
                continue
            text = " ".join(sentences[index : last + 1])
        elif not _is_answer_sentence(text):
            continue
        follows = (
            last + 1 < len(spans) and "\n" not in page.text[spans[last][1] : spans[last + 1][0]]
        )
        found.append(
            Candidate(
                text=text,
                page=page.page,
                rank=rank,
                first=index,
                last=last,
                from_passage=any(s.casefold() in picked for s in sentences[index : last + 1]),
                follower=sentences[last + 1] if follows else None,
            )
        )
    return found


def _is_answer_sentence(text: str) -> bool:
    # Headings, running headers and footers are no answer; nor is a whole wall of text.
    return (
        len(text.split()) >= _MIN_WORDS
        and len(text) <= _MAX_CHARS
        and bool(_ENDS_SENTENCE.search(text))
        and not _PAGE_FOOTER.match(text)
    )


def _term_weights(candidates: Sequence[Candidate], question: frozenset[str]) -> dict[str, float]:
    # Rarer words tell more: "headphones" beats "piano" in a piano manual.
    total = len(candidates) or 1
    weights: dict[str, float] = {}
    for term in question:
        frequency = sum(1 for c in candidates if term in terms(c.text))
        weights[term] = math.log(1 + total / (1 + frequency)) if frequency else 0.0
    return weights


def _matched(candidate: Candidate, weights: dict[str, float]) -> float:
    return sum(weights.get(term, 0.0) for term in terms(candidate.text))


def _bonus(candidate: Candidate) -> float:
    return _rank_bonus(candidate.rank) + (_PASSAGE_BONUS if candidate.from_passage else 0.0)


def _rank_bonus(rank: int) -> float:
    return _RANK_BONUS[rank] if rank < len(_RANK_BONUS) else 0.0
