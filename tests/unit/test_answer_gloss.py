"""A Hebrew question put in the English words of the manual it asks about."""

from __future__ import annotations

import pytest

from hsc_jit.answer.gloss import english_gloss
from hsc_jit.answer.question import understand


def gloss(question: str) -> str:
    glossed = english_gloss(question)
    assert glossed is not None
    return glossed


def test_a_question_not_in_hebrew_has_no_gloss() -> None:
    assert english_gloss("How do I connect headphones to the FP-30X?") is None
    assert english_gloss("FP-30X") is None


def test_hebrew_words_become_the_manuals_words_and_model_names_stay() -> None:
    assert gloss("כמה משקל ה-FP-30X?") == "how many weight FP-30X?"
    assert gloss("והאוזניות של ה-TD-27") == "headphones headphone phones TD-27"


@pytest.mark.parametrize(
    ("written", "english"),
    [
        ("והאוזניות", "headphones"),  # "and the": two letters written onto the word
        ("לאוזניות", "headphones"),
        ("בבלוטות'", "bluetooth"),  # the geresh of a loan word, and "in" before it
        ("בלוטות’", "bluetooth"),  # ... typed as a phone types it
        ("בלוטות", "bluetooth"),  # ... or left out
        ("אנלוגיים", "analog"),  # a plural ending
        ("ערכות", "kit"),  # a plural of a word ending in ה
        ("ברמת", "level"),  # "at the level of": the construct form of "רמה"
        ("יו-אס-בי", "usb"),  # hyphenated
    ],
)
def test_prefixes_endings_and_spellings_meet_the_lexicon(written: str, english: str) -> None:
    assert english in gloss(f"{written} ה-FP-30X?").split()


@pytest.mark.parametrize(
    ("question", "unwanted"),
    [
        ("מה נשמע?", "sound"),  # "how are you?", not about sounds
        ("איך אני מכבה אותה?", "signal"),  # "her/it", not "אות" (signal) with an ending
        ("כמה זה עולה בשקלים?", "light"),  # "shekels", not "קל" (light) after two prefixes
        ("יש לך עצה?", "wood"),  # "advice", not "עץ" (wood)
        ("זה מעולה", "price"),  # "excellent", not "מ" + "עולה" (costs)
    ],
)
def test_everyday_words_are_not_cut_into_other_words(question: str, unwanted: str) -> None:
    assert unwanted not in gloss(question)


def test_a_yes_no_question_and_its_negation_survive_the_gloss() -> None:
    glossed = gloss("האם אפשר לנגן בלי מחשב?")
    assert "without" in glossed.split()
    assert understand(glossed).polar


@pytest.mark.parametrize(
    ("question", "polar"),
    [
        ("ה-Blues Cube זה מגבר מנורות?", True),  # no "האם": the question mark alone asks
        ("הוא עובד עם אייפד?", True),
        ("הוא עובד עם אייפד?!", True),
        ("מהו המשקל של ה-FP-30X?", False),  # question words written onto others: "מה" + "הוא"
        ("ממה הוא מקבל חשמל?", False),
        ("לאן מחברים את האוזניות?", False),
        ("כמה משקל ה-FP-30X?", False),
        ("ב-FP-30X איפה חיבור האוזניות?", False),  # a question word later in the question
        ("ה-FP-30X מגבר מנורות", False),  # no question mark: not asked as yes or no
    ],
)
def test_a_hebrew_question_with_no_question_word_is_a_yes_no_question(
    question: str, polar: bool
) -> None:
    assert understand(gloss(question)).polar is polar


@pytest.mark.parametrize(
    "question",
    ["אני צריך לשים מיקרופון על ה-AE-10?", "האם צריך דרייבר ל-Windows?", "חייבים מתאם?"],
)
def test_a_hebrew_need_is_asked_as_do_i_need(question: str) -> None:
    # A burden the customer hopes to be spared, read as the English "do I need ...?" is.
    asked = understand(gloss(question))
    assert asked.polar and asked.need and asked.burden


@pytest.mark.parametrize(
    "question",
    [
        "צריכת החשמל נמוכה?",  # "consumption", not "need"
        "אפשר להשתמש בו בלי שצריך מתאם?",  # asks whether it can, without a need
        "לא צריך דרייבר?",
        "האם זה מגבר מנורות?",  # no need at all
    ],
)
def test_a_hebrew_question_that_only_mentions_a_need_keeps_its_reading(question: str) -> None:
    asked = understand(gloss(question))
    assert asked.polar and not asked.need


def test_words_the_lexicon_lacks_are_left_out_and_no_word_is_cut_to_nothing() -> None:
    # "שלום" is no support word; "ו" alone is a prefix with no word after it.
    assert gloss("שלום, ו FP-30X") == "FP-30X"
    assert gloss("שלום") == ""
