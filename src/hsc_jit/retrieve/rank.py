"""Which pages of one manual answer a question: BM25 over stemmed words, plus meaning.

Pure and deterministic. Each page is also cut into overlapping windows of a few sentences, so
that a page holding one short matching passage among long unrelated text still ranks; a page
scores by its best window blended with its whole-page score. When the index carries sentence
embeddings (``with_vectors``) and the question's vector is given, a page also scores by its
sentence closest in meaning to the question, so a question worded unlike the manual ("keeps
switching off" for "Auto Off") still finds its page. The best sentences of each ranked page are
returned as passages, and ``assess_coverage`` says whether the manual covers the question at
all, from how much of the question's weight the best page actually contains.
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np

from hsc_jit.retrieve.lexicon import STOPWORDS, customer_words, stems
from hsc_jit.text.contents import is_contents
from hsc_jit.text.sentences import split_sentences

_WORD = re.compile(r"\w+(?:[-/.]\w+)*")
_PART = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_WINDOW = 3  # sentences per window; windows overlap by all but one sentence
_WINDOW_WEIGHT = 0.5  # share of a page's score that comes from its best window
# A page's heading (its first line, when that is a short title) counts this many times over.
_HEADING_REPEAT = 2
_HEADING_WORDS = 10
# A contents or index page names every topic (``is_contents``): it keeps this share of its score.
_CONTENTS_PRIOR = 0.6
# A question word the manual never uses may begin a word it does ("foot" → "footswitch").
_MIN_PREFIX = 4
_MAX_EXPANSIONS = 3
# Each lexicon entry a question holds (``retrieve/lexicon.py``) adds this many times a word's
# score toward a page's words score, shared among the entry's words the manual uses. Out of
# fold on the real set's tuning half, 1, 2 and 4 answer 82.4, 82.7 and 82.2% (bench/README.md).
_RELATED_WEIGHT = 2.0
_MAX_PASSAGES = 3
_PASSAGE_KEEP = 0.5  # a second or third passage must score at least this share of the best
# With embeddings a page scores _LEXICAL_WEIGHT x (its BM25 score / the best page's) plus the
# cosine of its sentence closest to the question. Tuned on the documents and answers dev sets
# (155 questions): top-1 pages 137 → 147; 0.5 to 1.0 all do about as well.
_LEXICAL_WEIGHT = 0.75
# A page sharing no word with the question ranks on meaning alone only when this close ...
_MIN_SIMILARITY = 0.35
# ... or, once some page of the manual is related so, this close: a paraphrase's other pages
# ("busking outdoors" for "six AA batteries") sit near 0.3, while a question that nothing in
# the manual relates to ("can I buy it in white?") still finds no page. On the real set's tuning
# half answers are the same for any value from 0 to 0.25.
_NEAR_SIMILARITY = 0.2
# Memory of the word index per character of page text (tracemalloc, demo manuals: 50-61).
_BYTES_PER_CHAR = 64
# The best page must hold this share of the question's IDF weight (see assess_coverage). Tuned
# on the dev sets: 0.25 keeps 91% of answerable questions and 1 of 11 unanswerable ones.
COVERAGE_THRESHOLD = 0.25
# Or, ranked by meaning, some sentence must be this close to the question: a question worded
# unlike the manual ("wipe it back to how it came" for a factory reset) shares few of its words.
# The lowest value that refuses as many unanswerable dev questions as words alone (10 of 11);
# it covers 148 of 155 answerable dev questions instead of 143.
COVERAGE_SIMILARITY = 0.6


@dataclass(frozen=True, slots=True)
class RankedPage:
    page: int
    score: float
    passages: tuple[str, ...]  # best first
    matched: float = 1.0  # share of the question's IDF weight found on this page, 0..1
    # cosine to the question of each sentence of the page, when ranked with embeddings
    similarity: Mapping[str, float] = field(default_factory=dict)


class _Analyzer:
    """Words → index terms: lower case, stop words out, Snowball stems, model numbers joined."""

    def terms(self, text: str) -> list[str]:
        words: list[str] = []
        for token in _WORD.findall(text.lower()):
            parts = _PART.findall(token)
            words.extend(part for part in parts if part not in STOPWORDS)
            # "TR-8S", "tr8s" and "TR 8S" must meet: a hyphenated model number is also one term.
            if len(parts) > 1 and _DIGIT.search(token):
                words.append("".join(parts))
        return stems(words)

    @staticmethod
    def words(text: str) -> Iterator[str]:
        """The words of ``text`` as written, lower case, stop words included; a hyphenated
        word's parts and the whole ("tr", "8s", "tr8s"; "plug", "ins", "plugins")."""
        for token in _WORD.findall(text.lower()):
            parts = _PART.findall(token)
            yield from parts
            if len(parts) > 1:
                yield "".join(parts)


@dataclass(frozen=True, slots=True)
class _Page:
    number: int
    sentences: tuple[str, ...]
    sentence_terms: tuple[frozenset[str], ...]
    terms: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Scorer:
    """BM25 over whole pages and over sentence windows; ``window_pages`` maps window → page."""

    pages: bm25s.BM25
    windows: bm25s.BM25
    window_pages: np.ndarray
    prior: np.ndarray  # per page: 1.0, or less for a contents page

    def scores(self, terms: list[str], page_count: int) -> np.ndarray:
        pages = np.asarray(self.pages.get_scores(terms), dtype=np.float64)
        windows = np.asarray(self.windows.get_scores(terms), dtype=np.float64)
        best_window = np.zeros(page_count)
        np.maximum.at(best_window, self.window_pages, windows)
        blended = (1 - _WINDOW_WEIGHT) * pages + _WINDOW_WEIGHT * best_window
        return np.asarray(blended * self.prior, dtype=np.float64)


class PageIndex:
    """A BM25 index over one document's pages and their sentence windows."""

    def __init__(
        self,
        analyzer: _Analyzer,
        pages: list[_Page],
        scorer: _Scorer | None,
        idf: dict[str, float],
        title_terms: frozenset[str],
        word_counts: Counter[str],
    ) -> None:
        self._analyzer = analyzer
        self.word_counts = word_counts
        self._title_terms = title_terms
        self._pages = pages
        self._scorer = scorer
        self._idf = idf
        self._unseen_idf = math.log(1 + (len(pages) + 0.5) / 0.5)
        self._vocabulary = sorted(idf)
        self._sentence_pages = np.asarray(
            [position for position, page in enumerate(pages) for _ in page.sentences],
            dtype=np.int64,
        )
        self._vectors: np.ndarray | None = None  # see with_vectors
        self._chars = sum(len(sentence) for page in pages for sentence in page.sentences)

    @property
    def sentences(self) -> list[str]:
        """Every indexed sentence in page order: what ``with_vectors`` expects vectors for."""
        return [sentence for page in self._pages for sentence in page.sentences]

    @property
    def fingerprint(self) -> str:
        """Names the sentence list, so stored vectors are only ever paired with their sentences."""
        return hashlib.sha256("\n".join(self.sentences).encode()).hexdigest()

    @property
    def nbytes(self) -> int:
        """About what the index holds in memory, for a cache bounded in bytes."""
        vectors = 0 if self._vectors is None else self._vectors.nbytes
        return _BYTES_PER_CHAR * self._chars + vectors

    @property
    def has_vectors(self) -> bool:
        return self._vectors is not None

    def with_vectors(self, vectors: np.ndarray) -> PageIndex:
        """This index with one unit vector per sentence, for ranking by meaning too."""
        if vectors.ndim != 2 or vectors.shape[0] != len(self._sentence_pages):
            raise ValueError(f"{vectors.shape} vectors for {len(self._sentence_pages)} sentences")
        index = copy.copy(self)
        index._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        return index

    @classmethod
    def build(cls, pages: Sequence[tuple[int, str]], title: str = "") -> PageIndex:
        """Index ``(page number, text)`` pairs; the caller caches the index per version.

        Words of the document's ``title`` (the product's name) are ignored in questions: every
        page is about that product, so they only favour the pages that happen to repeat it.
        """
        analyzer = _Analyzer()
        parsed: list[_Page] = []
        page_terms: list[list[str]] = []
        window_terms: list[list[str]] = []
        window_pages: list[int] = []
        prior: list[float] = []
        for number, text in pages:
            sentences = tuple(split_sentences(text))
            per_sentence = [analyzer.terms(sentence) for sentence in sentences]
            terms = [term for sentence in per_sentence for term in sentence]
            if not terms:
                continue  # a page without a single word can never answer
            prior.append(_CONTENTS_PRIOR if is_contents(text) else 1.0)
            heading = _heading(text)
            if heading:
                terms += analyzer.terms(heading) * (_HEADING_REPEAT - 1)
            for start in range(max(1, len(sentences) - _WINDOW + 1)):
                window = per_sentence[start : start + _WINDOW]
                window_terms.append([term for sentence in window for term in sentence])
                window_pages.append(len(parsed))
            page_terms.append(terms)
            parsed.append(
                _Page(number, sentences, tuple(map(frozenset, per_sentence)), frozenset(terms))
            )
        document_frequency = Counter(term for page in parsed for term in page.terms)
        idf = {
            term: math.log(1 + (len(parsed) - count + 0.5) / (count + 0.5))
            for term, count in document_frequency.items()
        }
        scorer = None
        if parsed:
            scorer = _Scorer(
                _bm25(page_terms),
                _bm25(window_terms),
                np.asarray(window_pages, dtype=np.int64),
                np.asarray(prior, dtype=np.float64),
            )
        word_counts = Counter(
            word
            for page in parsed
            for sentence in page.sentences
            for word in analyzer.words(sentence)
        )
        return cls(analyzer, parsed, scorer, idf, frozenset(analyzer.terms(title)), word_counts)

    def rank(
        self, question: str, k: int = 3, query_vector: np.ndarray | None = None
    ) -> list[RankedPage]:
        """The ``k`` best pages for ``question``, best first; unrelated pages are left out.

        ``query_vector`` (the question embedded like the sentences) adds ranking by meaning
        when the index has vectors; without either, pages rank by their words alone.
        """
        terms = list(dict.fromkeys(self._analyzer.terms(question)))
        query = [term for term in terms if term not in self._title_terms] or terms
        known = list(dict.fromkeys(t for term in query for t in self._known(term)))
        related = self._related(question, query)
        if self._scorer is None:
            return []
        page_count = len(self._pages)
        lexical = self._scorer.scores(known, page_count) if known else np.zeros(page_count)
        for words in related:
            # An entry counts once however many words it has ("big": eight words of size).
            entry = self._scorer.scores(words, page_count) / len(words)
            lexical = lexical + _RELATED_WEIGHT * entry
        cosines = None
        if self._vectors is not None and query_vector is not None:
            cosines = self._vectors @ np.asarray(query_vector, dtype=np.float32)
            closest = np.full(page_count, -1.0)
            np.maximum.at(closest, self._sentence_pages, cosines)
            top = float(lexical.max())
            scaled = lexical / top if top > 0 else lexical
            relevant = (lexical > 0) | (closest >= _MIN_SIMILARITY)
            if relevant.any():
                relevant |= closest >= _NEAR_SIMILARITY
            scores = np.where(
                relevant, (_LEXICAL_WEIGHT * scaled + closest) * self._scorer.prior, 0.0
            )
        elif known or related:
            scores = lexical
        else:
            return []
        order = np.argsort(-scores, kind="stable")[:k]
        weights = {term: self._idf.get(term, self._unseen_idf) for term in query}
        total_weight = sum(weights.values()) or 1.0
        ranked: list[RankedPage] = []
        for position in order:
            if scores[position] <= 0:
                break
            page = self._pages[int(position)]
            similarity = self._similarity(int(position), cosines)
            found = sum(weight for term, weight in weights.items() if term in page.terms)
            ranked.append(
                RankedPage(
                    page=page.number,
                    score=float(scores[position]),
                    passages=_passages(page, weights, total_weight, similarity),
                    matched=found / total_weight,
                    similarity=similarity,
                )
            )
        return ranked

    def _similarity(self, position: int, cosines: np.ndarray | None) -> dict[str, float]:
        if cosines is None:
            return {}
        rows = np.flatnonzero(self._sentence_pages == position)
        sentences = self._pages[position].sentences
        return {text: float(cosines[row]) for text, row in zip(sentences, rows, strict=True)}

    def _related(self, question: str, query: list[str]) -> list[list[str]]:
        """The manual's words of each lexicon entry the question holds that this manual uses,
        sorted (a float sum in another order may tie-break pages another way)."""
        entries = customer_words().entries(question, ignore=self._title_terms)
        found = (sorted(w for w in words if w in self._idf and w not in query) for words in entries)
        return [words for words in found if words]

    def _known(self, term: str) -> list[str]:
        """``term`` if the manual uses it, else the few manual words it begins."""
        if term in self._idf or len(term) < _MIN_PREFIX:
            return [term] if term in self._idf else []
        start = bisect.bisect_left(self._vocabulary, term)
        found: list[str] = []
        for word in self._vocabulary[start : start + _MAX_EXPANSIONS]:
            if not word.startswith(term):
                break
            found.append(word)
        return found


def assess_coverage(question: str, ranked: Sequence[RankedPage]) -> bool:
    """Whether the ranked pages answer ``question`` rather than merely share a word with it.

    BM25 scores are not comparable across questions, so the test is the IDF-weighted share of
    the question's terms that the best page contains: words absent from the whole manual weigh
    most, words on every page (the product name) least. A question about a feature the manual
    never mentions keeps its key word unmatched and falls below the threshold. Pages ranked by
    meaning also cover a question when one of their sentences is close enough to it.
    """
    if not question.strip() or not ranked:
        return False
    closest = max((max(page.similarity.values(), default=0.0) for page in ranked), default=0.0)
    return (
        max(page.matched for page in ranked) >= COVERAGE_THRESHOLD or closest >= COVERAGE_SIMILARITY
    )


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    index = bm25s.BM25()
    index.index(corpus, show_progress=False)
    return index


def _heading(text: str) -> str:
    """The page's first line when it reads as a title: short, not a sentence."""
    first = text.strip().split("\n", 1)[0].strip()
    if not first or len(first.split()) > _HEADING_WORDS or first[-1] in ".!?:":
        return ""
    return first


def _passages(
    page: _Page, weights: dict[str, float], total_weight: float, similarity: Mapping[str, float]
) -> tuple[str, ...]:
    """The page's best sentences: the question's weight they hold, plus their closeness."""
    scored = [
        (
            sum(weight for term, weight in weights.items() if term in terms) / total_weight
            + max(0.0, similarity.get(sentence, 0.0)),
            index,
        )
        for index, (sentence, terms) in enumerate(
            zip(page.sentences, page.sentence_terms, strict=True)
        )
    ]
    scored = sorted((item for item in scored if item[0] > 0), key=lambda item: -item[0])
    if not scored:
        return page.sentences[:1]
    best = scored[0][0]
    return tuple(
        page.sentences[index]
        for score, index in scored[:_MAX_PASSAGES]
        if score >= _PASSAGE_KEEP * best
    )
