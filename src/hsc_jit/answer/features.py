"""What the answer ranker sees of each candidate unit, as one row of numbers.

Word match (weighted by rarity among the candidates), closeness in meaning, the page's rank and
score, the unit's shape (spec line, list item, intro with steps), the section heading and spec
label it sits under, and features that only count for one question type: a number next to the
thing asked about for "how many", "included" for "does it come with", a negation for a yes/no
question; closeness again, weighted by how few of the question's words the manual uses. The
ranker (``answer/ranker.py``) weighs them; the weights are learned, not set here.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import numpy as np

from hsc_jit.answer.question import Intent
from hsc_jit.answer.terms import terms
from hsc_jit.answer.units import Unit
from hsc_jit.answer.values import states_value

_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"[a-z0-9]+", re.I)
_MEASURE = re.compile(
    r"\b\d[\d.,]*\s*(?:-|\s)?(?:kg|g|grams?|lbs?|pounds?|oz|ounces?|kilograms?|mm|cm|m|"
    r"inch(?:es)?|in|\"|ft|feet|hours?|"
    r"hrs?|minutes?|ms|seconds?|w|watts?|hz|khz|bits?|gb|mb|voices?|keys?|notes?|pads?|tones?|"
    r"sounds?|kits?|patterns?|tracks?|steps?|presets?|patches|programs?|channels?|songs?)\b",
    re.I,
)
_INCLUDED = re.compile(
    r"\b(?:includ\w*|suppl\w*|bundl\w*|comes? with|come with|in the box|accessor\w*|"
    r"sold separately|optional)\b",
    re.I,
)
_COMPATIBLE = re.compile(
    r"\b(?:compatib\w*|works? with|support\w*|connect\w*|use (?:it )?with|ios|ipad|iphone|"
    r"android|mac(?:os)?|windows|daws?|usb|midi|bluetooth|plug-?ins?|vst\d?|au|aax)\b",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:not|no|without|cannot|never|none|neither|nor|unsupported|\w+n't)\b", re.I
)
_IMPERATIVE = re.compile(
    r"^(?:\d{1,2}[.)]\s*)?(press|hold|turn|select|connect|set|use|choose|tap|open|go|"
    r"plug|insert|remove|download|install|launch|power|adjust|assign|save|load|move|slide|"
    r"grab|pull|push|lift|loosen|tighten|attach|detach|fold|unfold|place|put|rotate|twist|"
    r"click|drag|unplug|disconnect|wipe)\b",
    re.I,
)
# A spec line's label ("Power supply:", "Load time:") is not an instruction.
_LABEL = re.compile(r"^[\w/-]+(?:\s[\w/-]+){0,2}\s*:")
_NEAR = 4  # tokens between a number and the thing asked about
# A name or model code: "Artist212", "ZEN-Core", "TR-808", "SuperNATURAL".
_NAMED = re.compile(
    r"\b(?:[A-Z][a-z]*\d+\w*|[A-Z]+-[A-Z0-9][\w-]*|[A-Z][a-z]+[A-Z]\w*|[A-Z]{2,}\d*)\b"
)
_WHICH = re.compile(r"^\s*(?:which|what)\b", re.I)
# The sentence model's WordPiece vocabulary, read for how common a word is (see ``rarity``).
_VOCABULARY = "minilm/vocab.txt"

FEATURES = (
    "lex",
    "lex_related",
    "matched_share",
    "lex_gap",
    "cos",
    "cos_gap",
    "cos_rank",
    "has_vectors",
    "page_first",
    "page_rank",
    "page_score",
    "from_passage",
    "spec",
    "item",
    "with_list",
    "log_words",
    "position",
    "section_match",
    "label_match",
    "has_digit",
    "number_near",
    "measure",
    "q_number",
    "q_number_x_digit",
    "q_number_x_near",
    "q_number_x_measure",
    "q_number_x_spec",
    "q_inclusion",
    "q_inclusion_x_included",
    "q_compatibility",
    "q_compatibility_x_compatible",
    "q_procedure",
    "q_procedure_x_steps",
    "q_polar",
    "q_polar_x_negation",
    "lex_x_cos",
    "covered_share",
    "lex_rank",
    "bigram",
    "shouting",
    "named",
    "q_which",
    "q_which_x_named",
    "cos_z",
    "intro",
    "cos_x_unseen",
    "cos_rank_x_unseen",
    "value_stated",
    "neighbour_cos",
)


@dataclass(frozen=True, slots=True)
class PageContext:
    """What the page ranker said of a unit's page."""

    score: float  # relative to the best page, 0..1
    similarity: Mapping[str, float]  # each sentence's cosine to the question, when ranked so


def weights_for(unit_terms: Sequence[frozenset[str]], focus: frozenset[str]) -> dict[str, float]:
    """IDF of each asked-about word among the candidate units; words none uses weigh most."""
    total = len(unit_terms) or 1
    return {
        term: math.log(1 + total / (1 + sum(1 for t in unit_terms if term in t))) for term in focus
    }


def rows(
    question: str,
    intent: Intent,
    focus: frozenset[str],
    units: Sequence[Unit],
    pages: Mapping[int, PageContext],
    has_vectors: bool,
) -> np.ndarray:
    """One row of ``FEATURES`` per unit."""
    if not units:
        return np.zeros((0, len(FEATURES)))
    unit_terms = [terms(u.text) for u in units]
    weights = weights_for(unit_terms, focus)
    wanted = intent.related | intent.included
    related = weights_for(unit_terms, wanted)
    total = math.fsum(weights.values()) or 1.0
    # Lists, not arrays: the loop below reads one value per unit, and a NumPy scalar costs
    # more to index and multiply than the feature is worth.
    lex = [math.fsum(weights[t] for t in focus & w) / total for w in unit_terms]
    lex_related = [math.fsum(related[t] for t in wanted & w) / total for w in unit_terms]
    cos = [_closeness(u, pages[u.page].similarity) for u in units]
    cos_array = np.array(cos)
    beside = _beside(units, cos)
    cos_rank = _inverse_rank(cos_array).tolist()
    # Closeness against the pool's own level: a product's intro is close to every question.
    cos_z = ((cos_array - cos_array.mean()) / (cos_array.std() or 1.0)).tolist()
    lex_rank = _inverse_rank(np.array(lex)).tolist()
    lex_max, cos_max = max(lex), max(cos)
    # The share of the question's words that no candidate uses: the fewer words a question
    # shares with the manual (a paraphrase), the more closeness in meaning has to decide.
    seen = frozenset().union(*unit_terms)
    unseen = 1.0 - len(focus & seen) / max(1, len(focus))
    pairs = _pairs(question)
    q_which = float(bool(_WHICH.match(question)))
    asked = focus | wanted
    q_number = float(intent.kind == "number")
    q_inclusion = float(intent.kind == "inclusion")
    q_compat = float(intent.kind == "compatibility")
    q_procedure = float(intent.kind == "procedure")
    q_polar = float(intent.polar)
    table: list[tuple[float, ...]] = []
    for row, unit in enumerate(units):
        text = unit.text
        words = unit_terms[row]
        facts = _facts(text)
        digit, measure = facts.digit, facts.measure
        near = float(_number_near(facts.stems, facts.digits, asked))
        spec = unit.spec
        label = text.split(":", 1)[0] if spec else ""
        steps = float(unit.last > unit.first or facts.imperative)
        included, compatible, negation = facts.included, facts.compatible, facts.negation
        page = pages[unit.page]
        features = (
            lex[row],
            lex_related[row],
            len(focus & words) / max(1, len(focus)),
            lex[row] - lex_max,
            cos[row],
            cos[row] - cos_max,
            cos_rank[row],
            float(has_vectors),
            float(unit.rank == 0),
            1.0 / (1 + unit.rank),
            page.score,
            float(unit.from_passage),
            float(spec),
            float(unit.item),
            float(unit.last > unit.first),
            facts.log_words,
            unit.first / max(1, len(unit.page_sentences)),
            math.fsum(weights[t] for t in focus & terms(unit.section)) / total,
            math.fsum(weights[t] for t in focus & terms(label)) / total if label else 0.0,
            digit,
            near,
            measure,
            q_number,
            q_number * digit,
            q_number * near,
            q_number * measure,
            q_number * float(spec),
            q_inclusion,
            q_inclusion * included,
            q_compat,
            q_compat * compatible,
            q_procedure,
            q_procedure * steps,
            q_polar,
            q_polar * negation,
            lex[row] * cos[row],
            len(focus & (words | terms(unit.section) | terms(label))) / max(1, len(focus)),
            lex_rank[row],
            _bigrams(facts.stems, pairs),
            facts.shouting,
            facts.named,
            q_which,
            q_which * facts.named,
            cos_z[row],
            float(unit.page == min(pages) and unit.page_sentences[unit.first].paragraph <= 1),
            cos[row] * unseen,
            cos_rank[row] * unseen,
            float(states_value(intent.values, text)),
            beside[row],
        )
        table.append(features)
    return np.array(table)


def _beside(units: Sequence[Unit], cos: Sequence[float]) -> list[float]:
    """Per unit, the closer to the question of the candidates just before and after it on its
    page: the answer sits in a passage about the thing asked, and a lone sentence close in
    meaning amid text about something else (an intro naming the product) is less often it."""
    by_page: dict[int, list[int]] = defaultdict(list)
    for row, unit in enumerate(units):
        by_page[unit.page].append(row)
    found = [0.0] * len(units)
    for members in by_page.values():
        ordered = sorted(members, key=lambda row: units[row].first)
        for at, row in enumerate(ordered):
            around = ordered[max(at - 1, 0) : at] + ordered[at + 1 : at + 2]
            found[row] = max((cos[other] for other in around), default=0.0)
    return found


def _inverse_rank(values: np.ndarray) -> np.ndarray:
    """1 for the highest value, 1/2 for the next, and so on."""
    ranks = np.empty(len(values))
    ranks[np.argsort(-values, kind="stable")] = 1.0 / (1.0 + np.arange(len(values)))
    return ranks


def _pairs(question: str) -> frozenset[tuple[str, str]]:
    """Adjacent content words of the question, stemmed: "audio interface" → (audio, interfac)."""
    return frozenset(itertools.pairwise(_stems(question)))


def _stems(text: str) -> tuple[str, ...]:
    return tuple(w for token in _TOKEN.findall(text.casefold()) for w in terms(token))


def _bigrams(stems: tuple[str, ...], pairs: frozenset[tuple[str, str]]) -> float:
    """The share of the question's word pairs that the unit also has side by side."""
    if not pairs:
        return 0.0
    return len(pairs & frozenset(itertools.pairwise(stems))) / len(pairs)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What a unit's text says whatever the question: computed once per text."""

    stems: tuple[str, ...]
    digits: tuple[int, ...]  # positions in ``stems`` of words with a digit
    digit: float
    measure: float
    included: float
    compatible: float
    negation: float
    shouting: float
    named: float
    imperative: bool
    log_words: float


@lru_cache(maxsize=65536)
def _facts(text: str) -> _Facts:
    tokens = _TOKEN.findall(text.casefold())
    stems: list[str] = []
    digits: list[int] = []
    for token in tokens:
        for stem in terms(token) or {""}:
            if _DIGIT.search(token):
                digits.append(len(stems))
            stems.append(stem)
    letters = [c for c in text if c.isalpha()]
    # A line in capitals is a banner, not an answer.
    shouting = len(letters) > 8 and sum(c.isupper() for c in letters) > 0.7 * len(letters)
    return _Facts(
        stems=tuple(stems),
        digits=tuple(digits),
        digit=float(bool(_DIGIT.search(text))),
        measure=float(bool(_MEASURE.search(text))),
        included=float(bool(_INCLUDED.search(text))),
        compatible=float(bool(_COMPATIBLE.search(text))),
        negation=float(bool(_NEGATION.search(text))),
        shouting=float(shouting),
        named=float(bool(_NAMED.search(text))),
        imperative=instruction(text) is not None,
        log_words=math.log(1 + len(text.split())),
    )


def instruction(text: str) -> str | None:
    """The verb when ``text`` tells the reader to do something: "hold" for "Hold the power
    button ...", "press" for "2. Press ..."; None otherwise."""
    found = _IMPERATIVE.match(text)
    return None if found is None or _LABEL.match(text) else found.group(1).casefold()


def _number_near(stems: tuple[str, ...], digits: tuple[int, ...], asked: frozenset[str]) -> bool:
    """A number within a few words of a word the question asks about ("61-note keyboard")."""
    if not digits:
        return False
    hits = [i for i, stem in enumerate(stems) if stem in asked]
    return any(abs(h - d) <= _NEAR for h in hits for d in digits)


def _closeness(unit: Unit, similarity: Mapping[str, float]) -> float:
    sentences = unit.page_sentences[unit.first : unit.last + 1]
    return max((max(0.0, similarity.get(s.text, 0.0)) for s in sentences), default=0.0)


@cache
def _word_ranks() -> dict[str, int]:
    vocabulary = (files("hsc_jit.retrieve") / _VOCABULARY).read_text(encoding="utf-8")
    return {token: rank for rank, token in enumerate(vocabulary.split("\n"))}


def english_word(word: str) -> bool:
    """Whether ``word`` (lower case) is a whole word of the sentence model's vocabulary."""
    return word in _word_ranks()


def rarity(word: str) -> float:
    """How rare an English word is, 0..1, with no word list of our own.

    After its special tokens and single characters, BERT's uncased vocabulary (the one the
    sentence model ships) lists whole words roughly from the most to the least frequent in its
    training text ("come" 2273, "resolution" 5814, "tilt" 17011), and a word it has no token
    for ("impedance", "screwdriver") is rarer still: the log of that rank, scaled.
    """
    ranks = _word_ranks()
    return math.log(ranks.get(word.casefold(), len(ranks))) / math.log(len(ranks))
