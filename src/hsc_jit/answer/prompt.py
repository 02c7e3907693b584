"""The prompt for model providers: instructions, product context and ranked manual pages.

The evidence goes in best page first and is cut at sentence boundaries to fit the token budget,
so a small budget still carries the sentences the ranker found, never "the first N characters".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from hsc_jit.answer.base import AnswerRequest, Evidence
from hsc_jit.answer.extractive import full_product_name
from hsc_jit.config import Scenario
from hsc_jit.text.sentences import split_sentences

_CHARS_PER_TOKEN = 4  # a fair average for English prose with BPE tokenizers
_MAX_ACCESSORIES = 30
_PAGES_TITLE = "Manual pages, most relevant first:"
_HISTORY_TITLE = "Earlier in this conversation (context for the question; oldest first):"
SCENARIO_GUIDANCE: dict[Scenario, str] = {
    "general": "The customer is a general user. The pro tip is the advice most useful for "
    "this question.",
    "studio": "The customer is recording in a studio. The pro tip is about latency, signal "
    "routing, recording, USB audio or drivers.",
    "live": "The customer is about to play live on stage. The pro tip is about keeping the show "
    "going: anything that could cut the sound or the power, cause feedback, or go wrong on stage.",
}
_RULES = """You are the official product-support assistant for {product} ({brand}).
Answer the customer's question using only the manual pages given below.
- Cite every fact with the page it comes from, exactly as [MANUAL: page N], right after the \
sentence. Cite only these pages: {pages}.
- If the pages do not answer the question, say plainly that the manual does not cover it and \
suggest contacting {brand} support. Do not guess and do not use outside knowledge.
- Be brief: a few short sentences or steps.
- Add at most one accessory suggestion, only if it truly helps with this question, as \
[SUGGESTION: name] with the name copied exactly from the accessory list. Never name any other \
product.
- End with exactly one [PRO TIP: advice] that fits the situation.
{scenario}{language}"""
_NOT_COVERED = """You are the official product-support assistant for {product} ({brand}).
The manual of this product does not cover the customer's question: no page of it answers it.
Say so plainly in one or two sentences and suggest contacting {brand} support. Do not guess, do \
not use outside knowledge, cite no pages and suggest no products.{language}"""
# The markers stay as they are in any language: the app renders them.
_LANGUAGE = {
    "en": "",
    "he": "\nWrite your answer in Hebrew (the manual is quoted in its own language); keep the "
    "[MANUAL: page N], [SUGGESTION: name] and [PRO TIP: advice] markers in English as shown.",
}


@dataclass(frozen=True, slots=True)
class Prompt:
    system: str
    user: str

    @property
    def messages(self) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.user},
        ]


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / _CHARS_PER_TOKEN)


def build_prompt(request: AnswerRequest, token_budget: int) -> Prompt:
    """System and user message within ``token_budget`` (the question itself always goes in)."""
    product = full_product_name(request)
    brand = request.brand_name or "the manufacturer"
    if not request.covered or not request.evidence:
        system = _NOT_COVERED.format(product=product, brand=brand, language=_LANGUAGE[request.lang])
        return Prompt(system, _asked_block(request))
    system = _RULES.format(
        product=product,
        brand=brand,
        pages=", ".join(str(e.page) for e in request.evidence),
        scenario=SCENARIO_GUIDANCE[request.scenario],
        language=_LANGUAGE[request.lang],
    )
    head = "\n\n".join(filter(None, [_product_block(request), _accessory_block(request)]))
    tail = _asked_block(request)
    # +2 for each "\n\n" that joins the blocks of the user message
    used = estimate_tokens(system) + estimate_tokens(head) + estimate_tokens(tail) + 4
    pages = _pages_block(request.evidence, token_budget - used)
    return Prompt(system, "\n\n".join(filter(None, [head, pages, tail])))


def _product_block(request: AnswerRequest) -> str:
    category = f" ({request.product_category})" if request.product_category else ""
    return f"Product: {full_product_name(request)}{category}\nScenario: {request.scenario}"


def _accessory_block(request: AnswerRequest) -> str:
    if not request.accessories:
        return "Accessories: none; suggest nothing."
    lines = [
        f"- {a.name}" + (f" ({a.category})" if a.category else "")
        for a in request.accessories[:_MAX_ACCESSORIES]
    ]
    return "Accessories you may suggest (exact names):\n" + "\n".join(lines)


def _asked_block(request: AnswerRequest) -> str:
    """The question, after the conversation's earlier turns when there are any."""
    lines = [_HISTORY_TITLE] if request.history else []
    for turn in request.history:
        lines += [f"Customer: {turn.question}", f"Assistant: {turn.answer}"]
    return "\n\n".join(filter(None, ["\n".join(lines), _question_block(request)]))


def _question_block(request: AnswerRequest) -> str:
    image = "\n(The customer attached a photo; use it only to understand the question.)"
    question = request.typed or request.question
    return f"Question: {question.strip()}" + (image if request.image else "")


def _pages_block(evidence: Sequence[Evidence], budget: int) -> str:
    budget -= estimate_tokens(_PAGES_TITLE) + 1
    blocks: list[str] = []
    for page in evidence:
        header = f"[Page {page.page}]"
        budget -= estimate_tokens(header) + 1
        if budget <= 0:
            break
        kept: list[str] = []
        for sentence in _page_sentences(page):
            cost = estimate_tokens(sentence) + 1
            if cost > budget:
                break  # the rest of this page does not fit; better pages came first
            kept.append(sentence)
            budget -= cost
        if kept:
            blocks.append(f"{header}\n" + " ".join(kept))
    return f"{_PAGES_TITLE}\n\n" + "\n\n".join(blocks) if blocks else ""


def _page_sentences(page: Evidence) -> list[str]:
    """The ranker's passages first, then the rest of the page in reading order, no repeats."""
    seen: set[str] = set()
    ordered: list[str] = []
    for sentence in [s for p in page.passages for s in split_sentences(p)] + split_sentences(
        page.text
    ):
        if sentence.casefold() not in seen:
            seen.add(sentence.casefold())
            ordered.append(sentence)
    return ordered
