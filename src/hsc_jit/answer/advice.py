"""The extractive answer's extras: one relevant accessory and the manual's tip for the scenario."""

from __future__ import annotations

import re
from collections.abc import Set

from hsc_jit.answer.base import AnswerRequest
from hsc_jit.answer.terms import terms
from hsc_jit.config import Scenario
from hsc_jit.text.sentences import clean, sentence_spans

_ADVICE = re.compile(r"^(?:note|caution|tip|important|warning|hint)\s*:\s*", re.I)
_MAX_TIP_CHARS = 300
# What a tip must be about to help on stage or in the studio (stemmed, as terms() gives them).
_SCENARIO_TERMS: dict[Scenario, frozenset[str]] = {
    "live": terms(
        "stage live gig show perform performance audience sound silent mute power adaptor "
        "adapter battery cable plug feedback volume speaker amplifier output noise hum "
        "interrupt shut auto-off"
    ),
    "studio": terms(
        "studio latency delay routing route record recording usb audio driver daw buffer "
        "sample interface monitor midi computer output channel crackle local"
    ),
    "general": frozenset(),
}


def pick_suggestion(request: AnswerRequest, question: Set[str], answer: Set[str]) -> str | None:
    """The accessory the question is about, if any: "headphones?" -> the catalog's headphones."""
    noise = terms(f"{request.brand_name} {request.product_name}")
    best: tuple[int, int] | None = None
    chosen: str | None = None
    for order, accessory in enumerate(request.accessories):
        about = terms(" ".join(filter(None, [accessory.name, accessory.category, accessory.label])))
        about -= noise
        asked, answered = len(about & question), len(about & answer)
        # Named in the question, or twice in the answer: a passing mention suggests nothing.
        if not asked and answered < 2:
            continue
        score = (2 * asked + answered, -order)
        if best is None or score > best:
            best, chosen = score, accessory.name
    return chosen


def pick_tip(request: AnswerRequest, question: Set[str], used: Set[str]) -> str | None:
    """A NOTE/TIP/CAUTION of the evidence pages that fits the scenario, else none.

    Only the manual's own advice: a tip that comes from neither the manual nor the catalog is
    not grounded, so an answer without one is better than a generic line.

    ``used`` holds the answer's sentences: a tip repeats none of them.
    """
    scenario_terms = _SCENARIO_TERMS[request.scenario]
    best: tuple[int, int, int, int] | None = None
    chosen: str | None = None
    for rank, page in enumerate(request.evidence):
        for position, (tip, sentences) in enumerate(_manual_tips(page.text)):
            if any(sentence in text for sentence in sentences for text in used):
                continue  # the answer already says it
            words = terms(tip)
            fits, related = len(words & scenario_terms), len(words & question)
            # On stage or in the studio a tip must be about that; otherwise about the question.
            if (fits if request.scenario != "general" else related) == 0:
                continue
            score = (fits, related, -rank, -position)
            if best is None or score > best:
                best, chosen = score, tip
    return chosen


def _manual_tips(text: str) -> list[tuple[str, list[str]]]:
    """``(tip, its sentences as written)`` for each NOTE:/TIP:/... paragraph of a page."""
    spans = sentence_spans(text)
    tips: list[tuple[str, list[str]]] = []
    for index, (start, end) in enumerate(spans):
        first = clean(text[start:end])
        if not _ADVICE.match(first):
            continue
        tip, sentences = _ADVICE.sub("", first), [first]
        # A following sentence that starts on the same line continues the note.
        for next_start, next_end in spans[index + 1 :]:
            if "\n" in text[end:next_start] or _ADVICE.match(text[next_start:next_end]):
                break
            following = clean(text[next_start:next_end])
            if len(tip) + len(following) >= _MAX_TIP_CHARS:
                break
            tip, end = f"{tip} {following}", next_end
            sentences.append(following)
        tips.append((_sentence_case(tip).replace("[", "(").replace("]", ")"), sentences))
    return tips


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
