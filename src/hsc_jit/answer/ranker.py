"""The learned answer ranker: which unit of the evidence answers, and whether any does.

Two logistic models trained by ``bench/train_answer_ranker.py`` on the tuning half of the
answers dev set, stored as JSON beside this module: one scores each candidate unit (does it
hold the answer?), one decides from the best scores whether the manual covers the question at
all, with the threshold picked on the tuning half at a stated operating point. Pure NumPy at
run time: a dot product per unit.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import numpy as np

from hsc_jit.answer.base import AnswerRequest, Evidence
from hsc_jit.answer.features import FEATURES, PageContext, rarity, rows
from hsc_jit.answer.question import Intent, plain, understand
from hsc_jit.answer.terms import terms
from hsc_jit.answer.units import Unit, page_units

MODEL_FILE = "answer_ranker.json"
COVERAGE_FEATURES = (
    "best_logit",
    "second_logit",
    "best_lex",
    "best_cos",
    "best_covered",
    "max_cos",
    "number_missing",
    "strong_units",
    "pool_cover",
    "matched",
    "unknown_rarity",
    "value_missing",
)
_SCORED = 8  # the coverage features that come from the unit scores; the rest are seeds
SEEDS = COVERAGE_FEATURES[_SCORED:]
_WORD = re.compile(r"[a-z0-9]+(?:[-'/.][a-z0-9]+)*")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Keep:
    """Which further units join an answer after its lead, best rated first."""

    share: float  # rated at least this share of the lead ...
    floor: float  # ... and at least this
    other_page: float  # a unit of another page only when rated at least this
    max_chars: int  # and only while the answer is shorter than this

    def stops(self, best: float, probability: float, chars: int) -> bool:
        """No unit rated ``probability`` or lower joins an answer ``chars`` long."""
        return probability < max(self.floor, self.share * best) or chars >= self.max_chars

    def admits(self, probability: float, same_page: bool) -> bool:
        # Another page's unit is most often a wrong citation unless rated high.
        return same_page or probability >= self.other_page


@dataclass(frozen=True, slots=True)
class Model:
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    coverage_weights: np.ndarray
    coverage_bias: float
    coverage_mean: np.ndarray
    coverage_scale: np.ndarray
    coverage_threshold: float
    keep: Keep


@cache
def model() -> Model:
    data = json.loads((files("hsc_jit.answer") / MODEL_FILE).read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES or tuple(data["coverage_features"]) != COVERAGE_FEATURES:
        raise RuntimeError(f"{MODEL_FILE} was trained on other features: retrain it")
    return Model(
        weights=np.asarray(data["weights"]),
        bias=float(data["bias"]),
        mean=np.asarray(data["mean"]),
        scale=np.asarray(data["scale"]),
        coverage_weights=np.asarray(data["coverage_weights"]),
        coverage_bias=float(data["coverage_bias"]),
        coverage_mean=np.asarray(data["coverage_mean"]),
        coverage_scale=np.asarray(data["coverage_scale"]),
        coverage_threshold=float(data["coverage_threshold"]),
        keep=Keep(**data["keep"]),
    )


@dataclass(frozen=True, slots=True)
class Pool:
    """Every candidate unit of the evidence with its feature row."""

    intent: Intent
    units: tuple[Unit, ...]
    features: np.ndarray
    coverage: np.ndarray  # the question's row of COVERAGE_FEATURES once scored


@dataclass(frozen=True, slots=True)
class Selection:
    """The units ranked by the model, best first, and whether the manual covers the question."""

    intent: Intent
    ranked: tuple[tuple[float, Unit], ...]
    covered_probability: float
    covered: bool


def focus_terms(request: AnswerRequest) -> frozenset[str]:
    """The question's content words less the product's own name, which every page repeats."""
    named = terms(f"{request.brand_name} {request.product_name} {request.product_category or ''}")
    focus = understand(request.question).focus - named
    return focus or understand(request.question).focus


def pool(request: AnswerRequest, matched: float = 0.0) -> Pool:
    intent = understand(request.question)
    evidence: Sequence[Evidence] = request.evidence
    units = tuple(
        unit
        for rank, page in enumerate(evidence)
        for unit in page_units(page.text, page.page, rank, page.passages)
    )
    top = max((e.score for e in evidence), default=0.0)
    pages = {e.page: PageContext(e.score / top if top > 0 else 1.0, e.similarity) for e in evidence}
    has_vectors = any(e.similarity for e in evidence)
    focus = focus_terms(request)
    table = rows(request.question, intent, focus, units, pages, has_vectors)
    seen = frozenset().union(*(terms(u.text) | terms(u.section) for u in units))
    cover = len(focus & seen) / len(focus) if focus else 0.0
    unknown = _unknown_rarity(request, focus, seen, units)
    # "How heavy is it?" over pages that state no weight at all.
    missing = bool(intent.values) and not table[:, FEATURES.index("value_stated")].any()
    return Pool(intent, units, table, coverage_seed(cover, matched, unknown, float(missing)))


def coverage_seed(*seeds: float) -> np.ndarray:
    """A question's ``COVERAGE_FEATURES`` before its units are scored (``coverage_row``):
    zeros, then ``SEEDS`` in order."""
    if len(seeds) != len(SEEDS):
        raise ValueError(f"{len(seeds)} seeds for {SEEDS}")
    return np.array([0.0] * _SCORED + list(seeds))


def select(request: AnswerRequest, matched: float = 0.0) -> Selection:
    """Rank the evidence's units and decide coverage; ``matched``: the page ranker's share."""
    candidates = pool(request, matched)
    return decide(candidates, model())


def decide(candidates: Pool, chosen: Model) -> Selection:
    if not candidates.units:
        return Selection(candidates.intent, (), 0.0, False)
    logits = unit_logits(candidates.features, chosen)
    coverage = coverage_row(candidates, logits)
    covered_logit = float(
        _standard(coverage[None, :], chosen.coverage_mean, chosen.coverage_scale)[0]
        @ chosen.coverage_weights
        + chosen.coverage_bias
    )
    covered_probability = _sigmoid(covered_logit)
    order = np.argsort(-logits, kind="stable")
    ranked = tuple((_sigmoid(float(logits[i])), candidates.units[int(i)]) for i in order)
    return Selection(
        candidates.intent,
        ranked,
        covered_probability,
        covered_probability >= chosen.coverage_threshold,
    )


def unit_logits(features: np.ndarray, chosen: Model) -> np.ndarray:
    return np.asarray(_standard(features, chosen.mean, chosen.scale) @ chosen.weights + chosen.bias)


def coverage_row(candidates: Pool, logits: np.ndarray) -> np.ndarray:
    """The question's ``COVERAGE_FEATURES`` from its units' scores."""
    order = np.argsort(-logits, kind="stable")
    best = int(order[0])
    second = float(logits[order[1]]) if len(order) > 1 else float(logits[best]) - 4.0
    row = candidates.coverage.copy()
    features = candidates.features
    row[:_SCORED] = (
        float(logits[best]),
        second,
        float(features[best, FEATURES.index("lex")]),
        float(features[best, FEATURES.index("cos")]),
        float(features[best, FEATURES.index("covered_share")]),
        float(features[:, FEATURES.index("cos")].max()),
        # "How many ...?" with no number next to the thing asked about in the best unit.
        float(features[best, FEATURES.index("q_number")])
        * (
            1.0
            - max(
                features[best, FEATURES.index("number_near")],
                features[best, FEATURES.index("measure")],
            )
        ),
        # A manual that covers the question tends to say something about it in several places.
        math.log1p(float(np.sum(logits > 0))),
    )
    return row


def _unknown_rarity(
    request: AnswerRequest, focus: frozenset[str], seen: frozenset[str], units: Sequence[Unit]
) -> float:
    """How rare the rarest asked-about word is that no candidate unit uses (0: none is).

    A plausible question the manual does not answer most often names the manual's things and
    asks for one detail it never mentions ("impedance", "bpm", "TD-27"), while a paraphrase of
    what it does say mostly leaves out everyday words ("walk", "come with"). Model codes are
    compared without their punctuation ("td27" is "TD-27", "rh-5s" is "RH-5").
    """
    written = frozenset().union(*(spelled(u.text) for u in units))
    name = _compact(f"{request.brand_name} {request.product_name}".casefold())
    rarest = 0.0
    for word in _WORD.findall(plain(request.question).casefold()):
        stems = terms(word)
        if not stems & focus or stems & seen:
            continue
        code = _compact(word)
        if {code, code.removesuffix("s")} & written:
            continue
        if _DIGIT.search(code) and len(code) > 2 and code.removesuffix("s") in name:
            continue
        rarest = max(rarest, rarity(word))
    return rarest


@lru_cache(maxsize=65536)
def spelled(text: str) -> frozenset[str]:
    """The words of a unit's text without their punctuation: computed once per text."""
    return frozenset(_compact(word) for word in _WORD.findall(text.casefold()))


def _compact(text: str) -> str:
    return _NOT_ALNUM.sub("", text)


def _standard(table: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return np.asarray((table - mean) / scale)


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, value))))
