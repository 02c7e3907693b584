"""Sentence boundaries in manual text."""

from __future__ import annotations

import pytest

from hsc_jit.text.sentences import AMOUNT, split_sentences


def test_a_dot_inside_a_button_name_ends_no_sentence() -> None:
    text = "Press [PIANO], [E. PIANO] or [OTHER] to choose a group. Then play."
    assert split_sentences(text) == [
        "Press [PIANO], [E. PIANO] or [OTHER] to choose a group.",
        "Then play.",
    ]


def test_a_dot_after_a_closed_bracket_still_ends_a_sentence() -> None:
    assert split_sentences("Press [ENTER]. Then press [EXIT].") == [
        "Press [ENTER].",
        "Then press [EXIT].",
    ]


@pytest.mark.parametrize(
    "row",
    [
        "Output impedance 150 ohms",
        "Impedance 600 Ω",
        "Load 10 k\u2126",  # the ohm sign, as some PDFs write it
        "Sensitivity -59 dBV/Pa",
        "Noise -128 dBu",
        "Filter slope 24 dB per octave",
        "Memory 3 GB",
        "Battery 2000 mAh",
        "Sampling time 20 min",
        "Delay up to 2 sec",
    ],
)
def test_a_row_stating_an_amount_ends_its_sentence(row: str) -> None:
    # The row is the page's longest line, so only the amount tells it from a line of prose
    # that wraps on into the next.
    page = f"Specs\n{row}\nConnectors are XLR."
    assert AMOUNT.search(row)
    assert row in split_sentences(page)


def test_words_that_only_start_like_units_are_no_amounts() -> None:
    for text in ("20 minimum", "TD-27 V-Drums", "3 gbps-ish", "40 dbx units"):
        assert not AMOUNT.search(text), text
