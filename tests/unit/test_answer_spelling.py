"""A question's slips mended from the manual's words before its pages are searched."""

from __future__ import annotations

import pytest

from hsc_jit.answer.spelling import mend
from hsc_jit.retrieve.rank import PageIndex

MANUAL = PageIndex.build(
    [
        (1, "The Wave 9 has Bluetooth audio and Bluetooth MIDI. Connect headphones to PHONES."),
        (
            2,
            "Scenes: 600 user scenes. Use the TR-8S expansion, the 4XCAMERA app, the FP-30X.",
        ),
        (4, "The laptop stand is optional."),
        (3, "Clean the pads with a soft cloth. Scans of the panel are on page 4."),
    ],
    "Wave 9",
)


def mended(question: str) -> str:
    return mend(question, [MANUAL.word_counts])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("does it have bluetoth?", "does it have bluetooth?"),  # a letter dropped
        ("does it have bluettooth?", "does it have bluetooth?"),  # a letter doubled
        ("how do I connect headhpones", "how do I connect headphones"),  # two swapped
        ("how do I connect headphonws", "how do I connect headphones"),  # a key beside
        ("can the 4xamera app split it", "can the 4xcamera app split it"),  # a model name
        ("how do I connect ehadphones", "how do I connect headphones"),  # first two swapped
        ("how many sceness can I save?", "how many scenes can I save?"),  # an "s" doubled
        # No manual word one edit away, but a word the question's kind is read from.
        ("how haevy is it?", "how heavy is it?"),
        ("whichh scenes are there?", "which scenes are there?"),
    ],
)
def test_a_slip_is_mended_to_the_manuals_word(question: str, expected: str) -> None:
    assert mended(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "what is the impedance?",  # no manual word one edit away
        "can I clean it with wipes?",  # an English word ("wipes" to "wires" would be wrong)
        "is there a laptops stand?",  # the manual's word with an "s": no slip
        "whats the weight?",  # an English word
        "how many acenes can I save?",  # slips rarely hit the first letter ("scenes")
        "is the pad big?",  # too short to tell a slip from another word
        "does the fp10x have it?",  # a model number's digits are the model, not a slip
    ],
)
def test_a_word_that_is_no_slip_is_left_as_typed(question: str) -> None:
    assert mended(question) == question


def test_two_words_the_manual_writes_as_one_are_joined() -> None:
    assert mended("does it have blue tooth midi?") == "does it have bluetooth midi?"
    setup = PageIndex.build([(1, "Setup: set up the stand, then plug-ins.")], "Stand")
    # Both halves of "set up" are the manual's words, and "plugins" is its "plug-ins".
    for question in ("how do I set up the stand?", "which plugins work?"):
        assert mend(question, [setup.word_counts]) == question


def test_of_several_words_one_edit_away_the_one_the_manual_uses_most() -> None:
    # "scens" is one edit from "scenes" (twice in the manual) and from "scans" (once).
    assert mended("how many scens can I save?") == "how many scenes can I save?"


def test_several_manuals_are_one_vocabulary() -> None:
    other = PageIndex.build([(1, "The pedal board runs on batteries.")], "Pedal")
    question = "does the pedal run on bateries or bluetoth?"
    assert mend(question, [MANUAL.word_counts, other.word_counts]) == (
        "does the pedal run on batteries or bluetooth?"
    )


def test_the_manuals_words_are_counted_as_written_with_model_numbers_whole() -> None:
    counts = MANUAL.word_counts
    assert counts["bluetooth"] == 2 and counts["scenes"] == 2
    assert {"tr", "8s", "tr8s", "4xcamera"} <= set(counts)
