"""The narrow interface every answer provider implements, and what it is given."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from hsc_jit.config import Lang, Scenario

if TYPE_CHECKING:
    from hsc_jit.answer.ranker import Selection


@dataclass(frozen=True, slots=True)
class Evidence:
    """One ranked page of a product document, as the answer may cite it."""

    page: int
    text: str
    score: float
    passages: tuple[str, ...] = ()
    title: str = ""
    url: str = ""
    # cosine between the question and each sentence of the page, when ranked by meaning too
    similarity: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Accessory:
    """A catalog relationship of the product that an answer may suggest."""

    id: str
    name: str
    category: str | None
    type: str
    label: str | None


@dataclass(frozen=True, slots=True)
class PriorTurn:
    """An earlier question of the conversation as the customer typed it, and its answer."""

    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class AnswerRequest:
    question: str
    scenario: Scenario
    product_name: str
    brand_name: str
    product_category: str | None
    evidence: Sequence[Evidence]
    accessories: Sequence[Accessory] = field(default_factory=tuple)
    covered: bool = True
    image: str | None = None
    # the ranker's verdict on the evidence, when the query flow already asked for it
    selection: Selection | None = None
    # the conversation so far, oldest first, already cut to its share of the prompt
    history: Sequence[PriorTurn] = ()
    # the customer's language: the words around quoted manual text are in it
    lang: Lang = "en"
    # the question in the customer's own words (a follow-up as rewritten to stand alone), when
    # it was searched in others (a Hebrew question by its English gloss, ``answer/gloss.py``)
    typed: str = ""


class AnswerProvider(Protocol):
    """Streams answer text; ``name`` is reported as ``final_answer.provider``."""

    name: str

    def stream(self, request: AnswerRequest) -> AsyncIterator[str]: ...
