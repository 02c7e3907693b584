"""A Hebrew question put in the English words of the manual it asks about."""

from __future__ import annotations

import pytest

from hsc_jit.answer.gloss import english_gloss


def test_a_question_not_in_hebrew_has_no_gloss() -> None:
    assert english_gloss("How do I connect headphones to the FP-30X?") is None
    assert english_gloss("FP-30X") is None


def test_hebrew_words_become_the_manuals_words_and_model_names_stay() -> None:
    assert english_gloss("כמה משקל ה-FP-30X?") == "how many number weight FP-30X?"
    assert english_gloss("איך מחברים אוזניות ל-TD-27") == (
        "how connectors connect headphones headphone phones TD-27"
    )


@pytest.mark.parametrize(
    ("written", "english"),
    [
        ("והאוזניות", "headphones"),  # "and the": two letters written onto the word
        ("לאוזניות", "headphones"),
        ("בבלוטות'", "bluetooth"),  # the geresh of a loan word, and "in" before it
        ("בלוטות", "bluetooth"),  # ... typed without it
        ("אנלוגיים", "analog"),  # a plural ending
        ("סוללות", "batteries"),  # the lexicon's own plural
    ],
)
def test_prefixes_endings_and_spellings_meet_the_lexicon(written: str, english: str) -> None:
    gloss = english_gloss(f"{written} ה-FP-30X?")
    assert gloss is not None and english in gloss.split()


def test_words_the_lexicon_lacks_are_left_out_and_no_word_is_cut_to_nothing() -> None:
    # "שלום" is no support word; "ו" alone is a prefix with no word after it.
    assert english_gloss("שלום, ו FP-30X") == "FP-30X"
