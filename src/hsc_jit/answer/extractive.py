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

import os
_DEBUG = bool(os.environ.get("HSC_DEBUG"))
MAX_SENTENCES = 4
_MIN_WORDS = 4
_MAX_CHARS = 400
_ENDS_SENTENCE = re.compile(r"[.!?][\"')]*$")
_PAGE_FOOTER = re.compile(r"^page \d+(?: of \d+)?$", re.I)
# Small nudges: a sentence the ranker picked, and pages the ranker put first, win close calls.
_PASSAGE_BONUS = 0.5
# When the answer stops: a further sentence must match at least _KEEP_SHARE of the best one and
# _STEP_SHARE of the last one taken, and come from a page scored at least _PAGE_KEEP of the top.
_KEEP_SHARE = 0.6
_STEP_SHARE = 0.6
_PAGE_KEEP = 0.75
# The lead sentence brings its paragraph along when that is this short.
_PARAGRAPH_SENTENCES = 3
_PARAGRAPH_CHARS = 450
_LIST_ITEM = re.compile(r"\s*(?:[•●▪◦■□‣∙·*\-–]|\d{1,2}[.)]|step\s+\d+[:.)]?)\s", re.I)
_ADVICE = re.compile(r"^(?:note|caution|tip|important|warning|hint)\s*:", re.I)


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
    follower: tuple[str, int] | None  # the next sentence in the same paragraph, and its last
    paragraph: tuple[str, int, int] | None = None  # its short paragraph: text, first, last

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
    """What answers the question best, ``MAX_SENTENCES`` at most, in page-rank and reading order.

    The best match leads, with the rest of its short paragraph (a problem and its fix, a note
    and its reason). More sentences join only while they stay close to the best match, and only
    from pages the ranker scored close to its best page: a weak sentence of a weakly ranked page
    is a wrong citation, and an answer that cites fewer pages well is the better answer.
    """
    candidates = [c for rank, page in enumerate(evidence) for c in _candidates(page, rank)]
    weights = _term_weights(candidates, question)
    top = max((e.score for e in evidence), default=0.0)
    strength = {e.page: math.sqrt(e.score / top) if top > 0 else 1.0 for e in evidence}
    scored = [(_matched(c, weights) * strength[c.page], c) for c in candidates]
    matching = [(matched, c) for matched, c in scored if matched > 0]
    # A covered question the manual words differently still gets the ranker's own pick.
    pool = matching or [(m, c) for m, c in scored if c.from_passage and c.rank == 0]
    if not pool:
        return []
    pool = [(matched + _bonus(c), c) for matched, c in pool]
    pool.sort(key=lambda item: (-item[0], item[1].rank, item[1].first))
    best, lead = pool[0]
    if _DEBUG:
        for m, c in pool[:8]:
            print(f"    dbg {m:.2f} p{c.page} r{c.rank} {c.text[:90]}")
    strong_pages = _strong_pages(evidence, lead.page)
    chosen = [_expand(lead, MAX_SENTENCES, follower=True)]
    previous = best
    for score, candidate in pool[1:]:
        if score < _KEEP_SHARE * best or score < _STEP_SHARE * previous:
            break  # sorted best first: everything after this is weaker still
        if candidate.page not in strong_pages:
            continue  # a weakly ranked page is a likely wrong citation
        if any(_overlap(c, candidate) for c in chosen):
            continue
        budget = MAX_SENTENCES - sum(c.sentences for c in chosen)
        candidate = _expand(candidate, budget, follower=False)
        if candidate.sentences <= budget and not any(_overlap(c, candidate) for c in chosen):
            chosen.append(candidate)
            previous = score
    return sorted(chosen, key=lambda c: (c.rank, c.first))


def _strong_pages(evidence: Sequence[Evidence], lead_page: int) -> set[int]:
    top = max((e.score for e in evidence), default=0.0)
    strong = {e.page for e in evidence if top > 0 and e.score >= _PAGE_KEEP * top}
    return strong | {lead_page}


def _expand(lead: Candidate, budget: int, follower: bool) -> Candidate:
    """The sentence with the rest of its paragraph when that is short, else with its next one."""
    if lead.paragraph is not None:
        text, first, last = lead.paragraph
        if last - first + 1 <= budget:
            return replace(lead, text=text, first=first, last=last)
        return lead
    if follower and lead.follower is not None:
        # The best match often states a problem and the next sentence its fix.
        text, last = lead.follower
        if last - lead.first < budget:
            return replace(lead, text=f"{lead.text} {text}", last=last)
    return lead


def _overlap(one: Candidate, other: Candidate) -> bool:
    return one.page == other.page and one.first <= other.last and other.first <= one.last


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    paragraph: int  # sentences of one paragraph share this number
    item: bool  # opens a list item ("1. ...", "- ...", "• ...")


def _parse(text: str) -> list[_Sentence]:
    spans = sentence_spans(text)
    parsed: list[_Sentence] = []
    paragraph = 0
    for index, (start, end) in enumerate(spans):
        if index and "\n" in text[spans[index - 1][1] : start]:
            paragraph += 1
        line_start = text.rfind("\n", 0, start) + 1
        opens_line = not text[line_start:start].strip()
        item = opens_line and bool(_LIST_ITEM.match(text, start))
        parsed.append(_Sentence(clean(text[start:end]), paragraph, item))
    return parsed


def _candidates(page: Evidence, rank: int) -> list[Candidate]:
    sentences = _parse(page.text)
    picked = {s.casefold() for p in page.passages for s in split_sentences(p)}
    found: list[Candidate] = []
    for index, sentence in enumerate(sentences):
        text, last = sentence.text, index
        if text.endswith(":"):
            last = _list_end(sentences, index)
            if last == index:
                continue  # an intro without its list says nothing
            text = " ".join(s.text for s in sentences[index : last + 1])
        elif not _is_answer_sentence(text):
            continue
        follows = last + 1 < len(sentences) and (
            sentences[last + 1].paragraph == sentence.paragraph
        )
        follower = None
        if follows:
            follower_last = _list_end(sentences, last + 1)
            follower = (
                " ".join(s.text for s in sentences[last + 1 : follower_last + 1]),
                follower_last,
            )
        found.append(
            Candidate(
                text=text,
                page=page.page,
                rank=rank,
                first=index,
                last=last,
                from_passage=any(s.text.casefold() in picked for s in sentences[index : last + 1]),
                follower=follower,
                paragraph=_short_paragraph(sentences, index, last),
            )
        )
    return found


def _list_end(sentences: Sequence[_Sentence], intro: int) -> int:
    """Index of the last sentence that belongs to the intro at ``intro`` (itself if none)."""
    if not sentences[intro].text.endswith(":"):
        return intro
    last = intro
    following = sentences[intro + 1 :]
    if following and not following[0].item:
        # "...only to the headphones:" and its sentence on the next line: one sentence.
        nxt = following[0]
        if _ENDS_SENTENCE.search(nxt.text) and not _ADVICE.match(nxt.text):
            return intro + 1
        return intro
    # A list intro ("Pairing for Bluetooth audio:") answers with the items after it.
    for offset, sentence in enumerate(following, start=1):
        if offset >= MAX_SENTENCES:
            break
        if not sentence.item and sentence.paragraph != sentences[intro + offset - 1].paragraph:
            break  # the list ended: a paragraph that is no list item
        if not _ENDS_SENTENCE.search(sentence.text):
            break  # a heading or a page footer
        last = intro + offset
    return last


def _short_paragraph(
    sentences: Sequence[_Sentence], first: int, last: int
) -> tuple[str, int, int] | None:
    """The whole paragraph around ``first..last`` when it is short enough to answer with."""
    number = sentences[first].paragraph
    if sentences[first].item:
        return None  # a list item's paragraph is the item itself
    start = first
    while start > 0 and sentences[start - 1].paragraph == number:
        start -= 1
    end = last
    while end + 1 < len(sentences) and sentences[end + 1].paragraph == number:
        end += 1
    end = _list_end(sentences, end)
    texts = [s.text for s in sentences[start : end + 1]]
    if end - start + 1 > _PARAGRAPH_SENTENCES or sum(map(len, texts)) > _PARAGRAPH_CHARS:
        return None
    if not all(_ENDS_SENTENCE.search(t) or t.endswith(":") for t in texts):
        return None  # a heading line is no part of the answer
    return " ".join(texts), start, end


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
    return _PASSAGE_BONUS if candidate.from_passage else 0.0
