"""What the server says follows the customer's language: declared by the client, else detected;
the manual's own sentences are quoted as they are."""

from __future__ import annotations

import string
from dataclasses import replace
from typing import get_args

import pytest

from hsc_jit.answer.extractive import compose_answer
from hsc_jit.answer.prompt import build_prompt
from hsc_jit.errors import DocumentUnavailable, ProductNotFound, RateLimited, UnknownBrand
from hsc_jit.text.language import detect, language_of
from hsc_jit.text.messages import MESSAGES, MessageKey, error_message, say
from tests.utils.answer_requests import make_request


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("How do I connect headphones to the FP-30X?", "en"),
        ("איך מחברים אוזניות ל-FP-30X?", "he"),
        ("האם יש ל-Roland TD-27KV Bluetooth?", "he"),  # mostly Latin letters, still Hebrew
        ("FP-30X", "en"),
        ("1234 ?!", "en"),
        ("", "en"),
    ],
)
def test_the_language_is_detected_from_the_letters(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_a_declared_language_wins() -> None:
    assert language_of("How do I connect headphones?", "he") == "he"
    assert language_of("איך מחברים אוזניות?", None) == "he"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_exists_in_every_language_with_the_same_fields() -> None:
    keys = set(get_args(MessageKey))
    for lang in ("en", "he"):
        assert set(MESSAGES[lang]) == keys, lang
    for key in keys:
        assert _fields(MESSAGES["he"][key]) == _fields(MESSAGES["en"][key]), key


def test_errors_keep_their_details_in_english_and_their_kind_in_hebrew() -> None:
    missing = ProductNotFound("acme-x")
    assert error_message(missing, "en") == missing.message
    assert "acme-x" in error_message(missing, "he") and "קטלוג" in error_message(missing, "he")
    slow = DocumentUnavailable("timeout", "The manual's server is slow (http://x/y.pdf).")
    assert error_message(slow, "he") == say("document_timeout", "he")
    broken = DocumentUnavailable("corrupt_pdf", "The manual's PDF is damaged.")
    assert error_message(broken, "he") == say("document_unavailable", "he")
    assert error_message(RateLimited("Too many."), "he") == say("rate_limited", "he")
    assert "acme" in error_message(UnknownBrand("acme"), "he")


def test_a_hebrew_refusal_names_the_product_and_its_brand() -> None:
    request = replace(make_request("מה תקופת האחריות?", covered=False), lang="he")
    chunks = compose_answer(request)
    assert chunks == [say("not_covered", "he", product="Acme P-10", support="תמיכה של Acme")]


def test_a_hebrew_question_answered_from_an_english_manual_says_so() -> None:
    request = replace(make_request("How do I connect headphones?"), lang="he")
    chunks = compose_answer(request)
    prefix = say("from_english_manual", "he") + " "
    assert chunks[0].startswith(prefix)
    assert "PHONES jack" in chunks[0]  # the manual's sentence, quoted as it is
    english = compose_answer(make_request("How do I connect headphones?"))
    assert not english[0].startswith(prefix) and "PHONES jack" in english[0]


def test_a_model_is_asked_to_answer_in_hebrew_and_keep_the_markers() -> None:
    hebrew = build_prompt(replace(make_request(), lang="he"), 3000)
    assert "Hebrew" in hebrew.system and "[MANUAL: page N]" in hebrew.system
    assert "Hebrew" not in build_prompt(make_request(), 3000).system
    refusal = build_prompt(replace(make_request(covered=False), lang="he"), 3000)
    assert "Hebrew" in refusal.system


def test_a_model_reads_the_customers_own_words_not_the_gloss_they_were_searched_by() -> None:
    glossed = replace(make_request("how headphones"), lang="he", typed="איך מחברים אוזניות?")
    assert "Question: איך מחברים אוזניות?" in build_prompt(glossed, 3000).user
    assert "Question: how headphones" in build_prompt(make_request("how headphones"), 3000).user
