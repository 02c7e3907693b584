"""What the answer ranker sees of each candidate unit, as one row of numbers.

Word match (weighted by rarity among the candidates), closeness in meaning, the page's rank and
score, the unit's shape (spec line, list item, intro with steps), the section heading and spec
label it sits under, and features that only count for one question type: a number next to the
thing asked about for "how many", "included" for "does it come with", a negation for a yes/no
question. The ranker (``answer/ranker.py``) weighs them; the weights are learned, not set here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hsc_jit.answer.question import Intent
from hsc_jit.answer.terms import terms
from hsc_jit.answer.units import Unit

_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"[a-z0-9]+", re.I)
_MEASURE = re.compile(
    r"\b\d[\d.,]*\s*(?:-|\s)?(?:kg|g|lbs?|pounds?|kilograms?|mm|cm|m|inch(?:es)?|in|\"|hours?|"
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
    r"^(?:\d{1,2}[.)]\s*)?(?:press|hold|turn|select|connect|set|use|choose|tap|open|go|"
    r"plug|insert|remove|download|install|launch|power|adjust|assign|save|load|move|slide)\b",
    re.I,
)
_NEAR = 4  # tokens between a number and the thing asked about

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
)


@dataclass(frozen=True, slots=True)
class PageContext:
    """What the page ranker said of a unit's page."""

    score: float  # relative to the best page, 0..1
    similarity: Mapping[str, float]  # each sentence's cosine to the question, when ranked so


def weights_for(units: Sequence[Unit], focus: frozenset[str]) -> dict[str, float]:
    """IDF of each asked-about word among the candidate units; words none uses weigh most."""
    total = len(units) or 1
    unit_terms = [terms(u.text) for u in units]
    return {
        term: math.log(1 + total / (1 + sum(1 for t in unit_terms if term in t))) for term in focus
    }


def rows(
    intent: Intent,
    focus: frozenset[str],
    units: Sequence[Unit],
    pages: Mapping[int, PageContext],
    has_vectors: bool,
) -> np.ndarray:
    """One row of ``FEATURES`` per unit."""
    if not units:
        return np.zeros((0, len(FEATURES)))
    weights = weights_for(units, focus)
    related = weights_for(units, intent.related)
    total = sum(weights.values()) or 1.0
    unit_terms = [terms(u.text) for u in units]
    lex = np.array([sum(weights[t] for t in focus & w) / total for w in unit_terms])
    lex_related = np.array(
        [sum(related[t] for t in intent.related & w) / total for w in unit_terms]
    )
    cos = np.array([_closeness(u, pages[u.page].similarity) for u in units])
    order = np.argsort(-cos, kind="stable")
    cos_rank = np.empty(len(units))
    cos_rank[order] = 1.0 / (1.0 + np.arange(len(units)))
    asked = focus | intent.related
    q_number = float(intent.kind == "number")
    q_inclusion = float(intent.kind == "inclusion")
    q_compat = float(intent.kind == "compatibility")
    q_procedure = float(intent.kind == "procedure")
    q_polar = float(intent.polar)
    table = np.zeros((len(units), len(FEATURES)))
    for row, unit in enumerate(units):
        text = unit.text
        words = unit_terms[row]
        digit = float(bool(_DIGIT.search(text)))
        near = float(_number_near(text, asked))
        measure = float(bool(_MEASURE.search(text)))
        label = text.split(":", 1)[0] if unit.spec else ""
        steps = float(unit.last > unit.first or bool(_IMPERATIVE.match(text)))
        included = float(bool(_INCLUDED.search(text)))
        compatible = float(bool(_COMPATIBLE.search(text)))
        negation = float(bool(_NEGATION.search(text)))
        page = pages[unit.page]
        table[row] = (
            lex[row],
            lex_related[row],
            len(focus & words) / max(1, len(focus)),
            lex[row] - lex.max(),
            cos[row],
            cos[row] - cos.max(),
            cos_rank[row],
            float(has_vectors),
            float(unit.rank == 0),
            1.0 / (1 + unit.rank),
            page.score,
            float(unit.from_passage),
            float(unit.spec),
            float(unit.item),
            float(unit.last > unit.first),
            math.log(1 + len(text.split())),
            unit.first / max(1, len(unit.page_sentences)),
            sum(weights[t] for t in focus & terms(unit.section)) / total,
            sum(weights[t] for t in focus & terms(label)) / total if label else 0.0,
            digit,
            near,
            measure,
            q_number,
            q_number * digit,
            q_number * near,
            q_number * measure,
            q_number * float(unit.spec),
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
        )
    return table


def _closeness(unit: Unit, similarity: Mapping[str, float]) -> float:
    sentences = unit.page_sentences[unit.first : unit.last + 1]
    return max((max(0.0, similarity.get(s.text, 0.0)) for s in sentences), default=0.0)


def _number_near(text: str, asked: frozenset[str]) -> bool:
    """A number within a few words of a word the question asks about ("61-note keyboard")."""
    tokens = _TOKEN.findall(text.casefold())
    hits = [i for i, token in enumerate(tokens) if terms(token) & asked]
    digits = [i for i, token in enumerate(tokens) if _DIGIT.search(token)]
    return any(abs(h - d) <= _NEAR for h in hits for d in digits)
