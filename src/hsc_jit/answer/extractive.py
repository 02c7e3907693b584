"""The default provider: an answer made of the manual's own sentences. No model, no network.

The best few sentences of the top-ranked pages, each followed by its citation, then at most one
relevant accessory and one pro tip. When the pages do not cover the question it says so and
points to the brand's support instead of guessing. Same request, same answer.

The answer stops early rather than pad: the best match leads (with the rest of its short
paragraph, or the steps it introduces), and further sentences join only while they match nearly
as well and come from pages the ranker scored close to its best page. Citing fewer pages well
beats citing every page that shares a word with the question.
"""

from __future__ import annotations

import math
import re
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from hsc_jit.answer.advice import pick_suggestion, pick_tip
from hsc_jit.answer.base import AnswerRequest, Evidence
from hsc_jit.answer.terms import terms
from hsc_jit.text.sentences import clean, sentence_spans, split_sentences

MAX_SENTENCES = 4  # answer units: a sentence, a list intro or one list item
_MIN_WORDS = 4
_MAX_CHARS = 400
_ENDS_SENTENCE = re.compile(r"[.!?][\"')]*$")
_PAGE_FOOTER = re.compile(r"^page \d+(?: of \d+)?$", re.I)
_LIST_ITEM = re.compile(r"\s*(?:[•●▪◦■□‣∙·*\-–]|\d{1,2}[.)]|step\s+\d+[:.)]?)\s", re.I)
_ADVICE = re.compile(r"^(?:note|caution|tip|important|warning|hint)\s*:", re.I)
# A sentence the ranker picked as a passage wins close calls.
_PASSAGE_BONUS = 0.5
# When the answer stops: a further sentence must score at least _KEEP_SHARE of the best one and
# _STEP_SHARE of the last one taken, and come from a page the ranker scored at least _PAGE_KEEP
# of its best page. A sentence's match is also weighed by its page's score (square root of the
# share of the best page's), so a strong page's sentence wins over an equal one of a weak page.
_KEEP_SHARE = 0.6
_STEP_SHARE = 0.6
_PAGE_KEEP = 0.75
# When the pages were ranked by meaning too, a sentence's cosine to the question counts this
# many times the best word match of all candidates (dev set: 1 to 2 do best, 4 overrides words).
_MEANING_WEIGHT = 2.0
_NAME_WORD = re.compile(r"[a-z]+")
_MIN_SHORT_FORM = 3  # letters of a short form of a product name word ("Sub" for "Subsequent")
# A sentence brings its whole paragraph along when that is this short.
_PARAGRAPH_UNITS = 3
_PARAGRAPH_CHARS = 450


class ExtractiveProvider:
    """Deterministic answers from the evidence alone."""

    name = "extractive"

    async def stream(self, request: AnswerRequest) -> AsyncIterator[str]:
        # Chunk by chunk: the sentences go out before the suggestion and tip are chosen.
        for chunk in _compose(request):
            yield chunk


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    paragraph: int  # the sentences of one paragraph (one line of the page text) share it
    item: bool  # opens a list item ("1. ...", "- ...", "• ...")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence of an evidence page, or a list intro ("To pair:") with its steps."""

    text: str
    page: int
    rank: int  # of the page among the evidence, 0 = best
    first: int  # index of its first sentence in the page
    last: int  # index of its last sentence in the page
    from_passage: bool
    page_sentences: tuple[_Sentence, ...] = ()  # the whole page, to grow the candidate

    @property
    def units(self) -> int:
        return _units(self.page_sentences[self.first : self.last + 1]) if self.page_sentences else 1


def compose_answer(request: AnswerRequest) -> list[str]:
    """The answer as protocol chunks: sentences, citations, suggestion, pro tip."""
    return list(_compose(request))


def _compose(request: AnswerRequest) -> Iterator[str]:
    if not request.covered or not request.evidence:
        yield not_covered_text(request)
        return
    question = terms(request.question) - product_terms(request)
    chosen = best_sentences(request.evidence, question)
    if not chosen:
        yield not_covered_text(request)
        return
    for candidate in chosen:
        yield candidate.text
        yield f"[MANUAL: page {candidate.page}]"
    answer_text = " ".join(c.text for c in chosen)
    suggestion = pick_suggestion(request, question, terms(answer_text))
    if suggestion is not None:
        yield f"[SUGGESTION: {suggestion}]"
    yield f"[PRO TIP: {pick_tip(request, question, {c.text for c in chosen})}]"


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
    """Brand, product and category words: the question names them, but so does every page.

    A customer's short form of a name word counts too: "Sub 37" for the Subsequent 37.
    """
    named = terms(f"{request.brand_name} {request.product_name} {request.product_category or ''}")
    words = _NAME_WORD.findall(f"{request.brand_name} {request.product_name}".casefold())
    short = {
        word
        for word in _NAME_WORD.findall(request.question.casefold())
        if len(word) >= _MIN_SHORT_FORM
        and any(name != word and name.startswith(word) for name in words)
    }
    return named | terms(" ".join(short))


def best_sentences(evidence: Sequence[Evidence], question: frozenset[str]) -> list[Candidate]:
    """The best answer, ``MAX_SENTENCES`` units at most, in page-rank and reading order."""
    candidates = [c for rank, page in enumerate(evidence) for c in _candidates(page, rank)]
    weights = _term_weights(candidates, question)
    top = max((e.score for e in evidence), default=0.0)
    strength = {e.page: math.sqrt(e.score / top) if top > 0 else 1.0 for e in evidence}
    similarity = {e.page: e.similarity for e in evidence}
    matched = [_matched(c, weights) for c in candidates]
    # Closeness in meaning counts in units of the best word match, so both scales agree.
    scale = _MEANING_WEIGHT * (max(matched, default=0.0) or 1.0)
    scored = [
        ((m + scale * _closeness(c, similarity[c.page])) * strength[c.page], c)
        for m, c in zip(matched, candidates, strict=True)
    ]
    matching = [(score, c) for score, c in scored if score > 0]
    # A covered question the manual words differently still gets the ranker's own pick.
    pool = matching or [(m, c) for m, c in scored if c.from_passage and c.rank == 0]
    if not pool:
        return []
    ranked = sorted(
        ((matched + _bonus(c), c) for matched, c in pool),
        key=lambda item: (-item[0], item[1].rank, item[1].first),
    )
    best, lead = ranked[0]
    strong = {e.page for e in evidence if e.score >= _PAGE_KEEP * top} | {lead.page}
    chosen = [_grow(lead, MAX_SENTENCES, lead=True)]
    previous = best
    for score, candidate in ranked[1:]:
        if score < _KEEP_SHARE * best or score < _STEP_SHARE * previous:
            break  # sorted best first: everything after this is weaker still
        if candidate.page not in strong or any(_overlap(c, candidate) for c in chosen):
            continue  # a weakly ranked page's sentence is most likely a wrong citation
        if candidate.page != lead.page and _closeness(
            candidate, similarity[candidate.page]
        ) < _closeness(lead, similarity[lead.page]):
            continue  # another page's sentence must be as close to the question as the lead
        budget = MAX_SENTENCES - sum(c.units for c in chosen)
        candidate = _grow(candidate, budget, lead=False)
        if candidate.units <= budget and not any(_overlap(c, candidate) for c in chosen):
            chosen.append(candidate)
            previous = score
    return sorted(chosen, key=lambda c: (c.rank, c.first))


def _grow(candidate: Candidate, budget: int, lead: bool) -> Candidate:
    """The candidate with its short paragraph; the lead also with the next sentence or steps.

    The best match often states a problem and the next sentence its fix, or names a task
    ("Pairing for Bluetooth audio") whose steps follow as a list.
    """
    sentences = candidate.page_sentences
    if not sentences:
        return candidate
    first, last = candidate.first, candidate.last
    paragraph = _short_paragraph(sentences, first, last)
    if paragraph is not None and _units(sentences[paragraph[0] : paragraph[1] + 1]) <= budget:
        first, last = paragraph
    elif lead and last + 1 < len(sentences):
        following = sentences[last + 1]
        if following.paragraph == sentences[last].paragraph and not following.item:
            last = _fit(sentences, first, _list_end(sentences, last + 1), budget)
    if lead and last + 1 < len(sentences) and _opens_list(sentences, last + 1):
        # The paragraph names a task and the list after it gives the steps.
        last = _fit(sentences, first, _list_end(sentences, last + 1, budget), budget)
    if (first, last) == (candidate.first, candidate.last):
        return candidate
    text = " ".join(s.text for s in sentences[first : last + 1])
    return replace(candidate, text=text, first=first, last=last)


def _fit(sentences: Sequence[_Sentence], first: int, last: int, budget: int) -> int:
    """``last``, or the last index before it that keeps ``first..`` within ``budget`` units."""
    while last > first and _units(sentences[first : last + 1]) > budget:
        last -= 1
    return last


def _units(sentences: Sequence[_Sentence]) -> int:
    """Answer units: each sentence, except that a list item's further sentences are its own."""
    units = 0
    for index, sentence in enumerate(sentences):
        continues_item = (
            index > 0
            and not sentence.item
            and sentence.paragraph == sentences[index - 1].paragraph
            and any(s.item for s in sentences[:index] if s.paragraph == sentence.paragraph)
        )
        units += 0 if continues_item else 1
    return units


def _overlap(one: Candidate, other: Candidate) -> bool:
    return one.page == other.page and one.first <= other.last and other.first <= one.last


@lru_cache(maxsize=1024)
def _parse(text: str) -> tuple[_Sentence, ...]:
    spans = sentence_spans(text)
    parsed: list[_Sentence] = []
    paragraph = 0
    for index, (start, end) in enumerate(spans):
        if index and "\n" in text[spans[index - 1][1] : start]:
            paragraph += 1
        line_start = text.rfind("\n", 0, start) + 1
        item = not text[line_start:start].strip() and bool(_LIST_ITEM.match(text, start))
        parsed.append(_Sentence(clean(text[start:end]), paragraph, item))
    return tuple(parsed)


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
        found.append(
            Candidate(
                text=text,
                page=page.page,
                rank=rank,
                first=index,
                last=last,
                from_passage=any(s.text.casefold() in picked for s in sentences[index : last + 1]),
                page_sentences=sentences,
            )
        )
    return found


def _opens_list(sentences: Sequence[_Sentence], index: int) -> bool:
    """Whether a list starts at ``index``: a list item, or an intro ("To pair:") with items."""
    sentence = sentences[index]
    if sentence.item:
        return True
    return sentence.text.endswith(":") and index + 1 < len(sentences) and sentences[index + 1].item


def _list_end(sentences: Sequence[_Sentence], start: int, budget: int = MAX_SENTENCES) -> int:
    """Index of the last sentence of the intro or list item at ``start`` and the items after it.

    An intro ending in ":" with no list after it runs on into its next sentence ("...send the
    click only to the headphones:" / "[SETUP] > Click > ..."); a list ends at the first line
    that is no list item, at a heading or a footer, or when ``budget`` units are used.
    """
    last = start
    if sentences[start].text.endswith(":") and not _opens_list(sentences, start):
        following = sentences[start + 1] if start + 1 < len(sentences) else None
        if (
            following is not None
            and _ENDS_SENTENCE.search(following.text)
            and not _ADVICE.match(following.text)
        ):
            return start + 1
        return start
    for index in range(start + 1, len(sentences)):
        sentence = sentences[index]
        if not sentence.item and sentence.paragraph != sentences[index - 1].paragraph:
            break  # the list ended: a paragraph that is no list item
        if not _ENDS_SENTENCE.search(sentence.text):
            break  # a heading or a page footer
        if _units(sentences[start : index + 1]) > budget:
            break
        last = index
    return last


def _short_paragraph(
    sentences: Sequence[_Sentence], first: int, last: int
) -> tuple[int, int] | None:
    """``(first, last)`` of the paragraph around ``first..last`` when it is short and all text."""
    if sentences[first].item:
        return None  # a list item's paragraph is the item itself
    number = sentences[first].paragraph
    start = first
    while start > 0 and sentences[start - 1].paragraph == number:
        start -= 1
    end = last
    while end + 1 < len(sentences) and sentences[end + 1].paragraph == number:
        end += 1
    if sentences[end].text.endswith(":"):
        end = _list_end(sentences, end)
    texts = [s.text for s in sentences[start : end + 1]]
    if _units(sentences[start : end + 1]) > _PARAGRAPH_UNITS:
        return None
    if sum(map(len, texts)) > _PARAGRAPH_CHARS:
        return None
    if not all(_ENDS_SENTENCE.search(t) or t.endswith(":") for t in texts):
        return None  # a heading line is no part of the answer
    return start, end


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


def _closeness(candidate: Candidate, similarity: Mapping[str, float]) -> float:
    """The candidate's best cosine to the question; 0 when ranked by words alone."""
    sentences = candidate.page_sentences[candidate.first : candidate.last + 1]
    return max((max(0.0, similarity.get(s.text, 0.0)) for s in sentences), default=0.0)


def _matched(candidate: Candidate, weights: dict[str, float]) -> float:
    return sum(weights.get(term, 0.0) for term in terms(candidate.text))


def _bonus(candidate: Candidate) -> float:
    return _PASSAGE_BONUS if candidate.from_passage else 0.0
